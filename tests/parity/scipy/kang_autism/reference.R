# Run after reference.py, from this folder: Rscript reference.R ../../../data/diffabund/kang
args <- commandArgs(TRUE); d <- args[1]
allp <- read.delim("all_pairs_spearman.tmp.tsv", check.names = FALSE)
allp$q <- p.adjust(allp$p, "BH")
counts <- read.delim(file.path(d, "genera.counts.tsv"), row.names = 1, check.names = FALSE)
mtb <- read.delim(file.path(d, "mtb.tsv"), row.names = 1, check.names = FALSE)[rownames(counts), ]
meta <- read.delim(file.path(d, "metadata.tsv"), row.names = 1, check.names = FALSE)[rownames(counts), ]
rel <- sweep(as.matrix(counts), 1, rowSums(counts), "/")
named <- c("Lactate", "Butyrate", "Leucine", "Isoleucine", "Acetate", "Propionate", "Valerate", "Succinate")
common <- colnames(rel)[colMeans(rel > 0) >= 0.5]
sub <- allp[allp$feature %in% common & allp$variable %in% named, ]
f17 <- function(x) sprintf("%.17g", x)
pr <- t(sapply(seq_len(nrow(sub)), function(i) {
  x <- rel[, sub$feature[i]]; y <- mtb[, sub$variable[i]]
  ct <- cor.test(x, y); cs <- suppressWarnings(cor.test(x, y, method = "spearman", exact = FALSE))
  rx <- resid(lm(x ~ meta$Age)); ry <- resid(lm(y ~ meta$Age)); r <- cor(rx, ry); df <- length(x) - 3
  c(ct$estimate, ct$p.value, cs$estimate, cs$p.value, r, 2 * pt(-abs(sqrt(df) * r / sqrt(1 - r^2)), df))
}))
out <- data.frame(feature = sub$feature, variable = sub$variable, rho = f17(sub$rho), p = f17(sub$p),
                  q_all_pairs = f17(sub$q), r_rho = f17(pr[, 3]), r_rho_p = f17(pr[, 4]),
                  pearson_r = f17(pr[, 1]), pearson_p = f17(pr[, 2]),
                  partial_age_r = f17(pr[, 5]), partial_age_p = f17(pr[, 6]))
write.table(out, "kang_genus_metabolite.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
cat("pairs frozen", nrow(out), "of", nrow(allp), "\n")
