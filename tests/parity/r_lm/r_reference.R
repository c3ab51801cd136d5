# R references for `orbiome diff --method lm` and LinDA's per-coefficient fits (tests/parity/r_lm).
# Usage: Rscript r_reference.R [SHARED_DATA_DIR]   (run in this folder; writes *.tsv here)
# Factor levels are set in byte order (R's sort in the C locale), as orbiome's treatment contrasts.
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) > 0) args[1] else "../../../../shared/data"
options(digits = 17)
fmt <- function(x) sprintf("%.17g", x)
byte_factor <- function(x) factor(x, levels = sort(unique(x), method = "radix"))

write_fits <- function(y, z, form, file) {
  out <- NULL
  for (f in colnames(y)) {
    d <- z
    d$y <- y[, f]
    cf <- coef(summary(lm(as.formula(paste("y", form)), d)))
    cf <- cf[rownames(cf) != "(Intercept)", , drop = FALSE]
    out <- rbind(out, data.frame(feature = f, term = rownames(cf), estimate = fmt(cf[, 1]), se = fmt(cf[, 2]),
                                 t = fmt(cf[, 3]), p = fmt(cf[, 4])))
  }
  write.table(out, file, sep = "\t", quote = FALSE, row.names = FALSE)
}

# orbiome's relative abundance and default pseudocount over the kept samples and features.
relabund <- function(counts, keep) {
  rel <- t(t(counts[, keep]) / colSums(counts[, keep]))
  rel[rowSums(rel > 0) > 0, , drop = FALSE]
}
clr_lm <- function(rel) {  # --method lm --transform clr
  c0 <- min(rel[rel > 0]) / 2
  l <- log2(rel + c0)
  t(t(l) - colMeans(l))
}
linda_clr <- function(y, counts = TRUE) {  # MicrobiomeStat::linda steps 1-3 (winsor 0.97, zeros, log2 CLR)
  if (counts) {
    n <- colSums(y)
    p <- t(t(y) / n)
    cut <- apply(p, 1, quantile, 0.97)
    ind <- p > cut
    p[ind] <- matrix(cut, nrow(p), ncol(p))[ind]
    y <- round(t(t(p) * n))
    if (any(y == 0)) y <- y + 0.5
  } else {
    cut <- apply(y, 1, quantile, 0.97)
    ind <- y > cut
    y[ind] <- matrix(cut, nrow(y), ncol(y))[ind]
    if (any(y == 0)) y <- t(apply(y, 1, function(x) { x[x == 0] <- 0.5 * min(x[x != 0]); x }))
  }
  l <- log2(y)
  t(l) - colMeans(l)  # samples x features
}

# RR-5 fecal genera, Time = final (60 mice): Treatment (5 levels) + Cage (numeric).
rr5 <- "../r_stats/rr5_genus/"
counts <- read.delim(paste0(rr5, "genus_counts.tsv"), skip = 1, row.names = 1, check.names = FALSE)
counts <- as.matrix(counts[, colnames(counts) != "taxonomy"])
meta <- read.delim(paste0(rr5, "rr5_fecal_meta.tsv"), row.names = 1, check.names = FALSE)
meta <- meta[colnames(counts), ]
keep <- which(meta$Time == "final")
z <- data.frame(Treatment = byte_factor(meta$Treatment[keep]), Cage = meta$Cage[keep])
rel <- relabund(counts, keep)
write_fits(t(clr_lm(rel)), z, "~ Treatment + Cage", "rr5_lm_clr.tsv")
write_fits(linda_clr(counts[rownames(rel), keep]), z, "~ Treatment + Cage", "rr5_linda_raw.tsv")

# HMP2 (MaAsLin2's extdata; samples as rows, proportions): diagnosis (3 levels, reference nonIBD)
# + age (numeric, 19 NA dropped) + antibiotics.
h <- paste0(shared, "/tables/maaslin2_hmp2/")
if (dir.exists(h)) {
  tax <- as.matrix(read.delim(paste0(h, "HMP2_taxonomy.tsv"), row.names = 1, check.names = FALSE))
  md <- read.delim(paste0(h, "HMP2_metadata.tsv"), row.names = 1, check.names = FALSE)
  md <- md[rownames(tax), ]
  keep <- which(!is.na(md$age))
  z <- data.frame(diagnosis = factor(md$diagnosis[keep], levels = c("nonIBD", "CD", "UC")), age = md$age[keep],
                  antibiotics = byte_factor(md$antibiotics[keep]))
  rel <- relabund(t(tax), keep)
  write_fits(t(clr_lm(rel)), z, "~ diagnosis + age + antibiotics", "hmp2_lm_clr.tsv")
}
