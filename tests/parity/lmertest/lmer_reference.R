# lmerTest references for orbiome's mixed-model LinDA (tests/parity/lmertest).
# Usage: Rscript lmer_reference.R [SHARED_DATA_DIR]   (run in this folder; writes hmp2_lmer.tsv here)
# HMP2 (MaAsLin2 extdata; samples as rows, proportions), samples with age present (1576):
# MicrobiomeStat::linda's CLR (proportion path: winsorise at each feature's 0.97 quantile, zeros
# to half the feature's smallest non-zero value, log2, centre per sample; numeric covariates NOT
# scaled, as orbiome), then per feature lmerTest::lmer(w ~ diagnosis + age + antibiotics + (1|subject))
# (REML, Satterthwaite df), as linda's mixed-model path calls it (hmp2_lmer.tsv), and the same
# with lme4's optimiser run to convergence (bobyqa, rhoend 1e-12: hmp2_lmer_converged.tsv); the
# default nloptwrap stops ~1e-7 away from the REML optimum in theta.
suppressMessages(library(lmerTest))
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) > 0) args[1] else "../../../../shared/data"
fmt <- function(x) sprintf("%.17g", x)
h <- paste0(shared, "/tables/maaslin2_hmp2/")
tax <- as.matrix(read.delim(paste0(h, "HMP2_taxonomy.tsv"), row.names = 1, check.names = FALSE))
md <- read.delim(paste0(h, "HMP2_metadata.tsv"), row.names = 1, check.names = FALSE)
md <- md[rownames(tax), ]
keep <- which(!is.na(md$age))
z <- data.frame(diagnosis = factor(md$diagnosis[keep], levels = c("nonIBD", "CD", "UC")), age = md$age[keep],
                antibiotics = factor(md$antibiotics[keep], levels = sort(unique(md$antibiotics[keep]), method = "radix")),
                subject = md$subject[keep])
y <- t(tax[keep, ])
y <- y[rowSums(y > 0) > 0, ]
cut <- apply(y, 1, quantile, 0.97)
ind <- y > cut
y[ind] <- matrix(cut, nrow(y), ncol(y))[ind]
if (any(y == 0)) y <- t(apply(y, 1, function(x) { x[x == 0] <- 0.5 * min(x[x != 0]); x }))
l <- log2(y)
w <- t(l) - colMeans(l)
fit_all <- function(control, file) {
out <- NULL
for (f in colnames(w)) {
  d <- z
  d$w <- w[, f]
  fit <- suppressMessages(lmer(w ~ diagnosis + age + antibiotics + (1 | subject), d, control = control))
  cf <- coef(summary(fit))
  cf <- cf[rownames(cf) != "(Intercept)", , drop = FALSE]
  out <- rbind(out, data.frame(feature = f, term = rownames(cf), estimate = fmt(cf[, 1]), se = fmt(cf[, 2]),
                               df = fmt(cf[, 3]), t = fmt(cf[, 4]), p = fmt(cf[, 5]),
                               theta = fmt(getME(fit, "theta")), sigma = fmt(sigma(fit))))
}
write.table(out, file, sep = "\t", quote = FALSE, row.names = FALSE)
}
fit_all(lmerControl(), "hmp2_lmer.tsv")
fit_all(lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12)), "hmp2_lmer_converged.tsv")
