# Frozen R references for orbiome's statistics primitives (see PROVENANCE.md).
# Run from this folder: Rscript r_reference.R
counts <- read.delim("genus_counts.tsv", comment.char = "#", check.names = FALSE, row.names = 1)
counts$taxonomy <- NULL  # lineage column
meta <- read.delim("rr5_fecal_meta.tsv", check.names = FALSE, row.names = 1)
rel <- sweep(as.matrix(counts), 2, colSums(counts), "/")
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
wr <- function(df, file) write.table(df, file, sep = "\t", quote = FALSE, row.names = FALSE)
meta <- meta[colnames(rel), ]
stopifnot(all(colnames(rel) == rownames(meta)))

two_group <- function(in_x, in_y, file) {
  rows <- list()
  for (f in rownames(rel)) {
    x <- rel[f, in_x]; y <- rel[f, in_y]
    if (length(unique(c(x, y))) < 2) next  # constant: not tested
    w <- wilcox.test(x, y)
    rows[[f]] <- data.frame(feature = f, W = w$statistic, p = w$p.value,
                            exact = as.integer(grepl("exact", w$method)))
  }
  d <- do.call(rbind, rows)
  d$q <- p.adjust(d$p, "BH")
  d$W <- f17(d$W); d$p <- f17(d$p); d$q <- f17(d$q)
  wr(d, file)
}
fin <- meta$Time == "final"
iss <- colnames(rel)[fin & meta$Treatment == "ISS"]
issg <- colnames(rel)[fin & meta$Treatment == "ISS_G"]
two_group(iss, issg, "wilcoxon_iss_vs_issg_final.tsv")
two_group(iss[1:3], issg[1:4], "wilcoxon_small_3v4.tsv")
flight <- colnames(rel)[meta$Treatment %in% c("ISS", "LAR")]
ground <- colnames(rel)[meta$Treatment %in% c("ISS_G", "LAR_G")]
two_group(flight, ground, "wilcoxon_flight50_vs_ground50.tsv")

rows <- list()
for (f in rownames(rel)) {
  x <- rel[f, iss]; y <- rel[f, issg]
  t <- tryCatch(t.test(x, y), error = function(e) NULL)
  if (is.null(t) || is.na(t$p.value)) next  # R errors or gives NaN on constant data
  rows[[f]] <- data.frame(feature = f, t = f17(t$statistic), df = f17(t$parameter), p = f17(t$p.value),
                          se = f17(t$stderr))
}
wr(do.call(rbind, rows), "welch_iss_vs_issg_final.tsv")

finals <- colnames(rel)[fin]
g <- factor(meta$Treatment[fin])
rows <- list()
for (f in rownames(rel)) {
  x <- rel[f, finals]
  if (length(unique(x)) < 2) next
  k <- kruskal.test(x, g)
  rows[[f]] <- data.frame(feature = f, H = k$statistic, df = k$parameter, p = k$p.value)
}
d <- do.call(rbind, rows); d$q <- p.adjust(d$p, "BH")
d$H <- f17(d$H); d$p <- f17(d$p); d$q <- f17(d$q)
wr(d, "kruskal_treatment_final.tsv")

# Pearson: every genus vs Lactobacillus over the 50 final samples; partial given two genera.
lacto <- grep(";Lactobacillus$", rownames(rel), value = TRUE)
z1 <- rel[grep(";Bacteroides$", rownames(rel), value = TRUE), finals]
z2 <- rel[grep(";Akkermansia$", rownames(rel), value = TRUE), finals]
y <- rel[lacto, finals]
rows <- list()
for (f in rownames(rel)) {
  x <- rel[f, finals]
  if (f == lacto || length(unique(x)) < 2) next
  ct <- cor.test(x, y)
  rx <- resid(lm(x ~ z1 + z2)); ry <- resid(lm(y ~ z1 + z2))
  r <- cor(rx, ry); df <- length(x) - 2 - 2
  tp <- sqrt(df) * r / sqrt(1 - r^2)
  rows[[f]] <- data.frame(feature = f, r = f17(ct$estimate), t = f17(ct$statistic), df = ct$parameter,
                          p = ct$p.value, partial_r = f17(r), partial_p = f17(2 * pt(-abs(tp), df)))
}
d <- do.call(rbind, rows); d$q <- f17(p.adjust(d$p, "BH")); d$p <- f17(d$p)
wr(d, "pearson_vs_lactobacillus_final.tsv")
cat(R.version.string, "\n")
