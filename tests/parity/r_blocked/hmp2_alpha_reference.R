# R reference for the study runner's alpha-diversity tests with design.subject (issue #17):
# HMP2 (MaAsLin2 extdata, samples as rows, proportions), group antibiotics (Yes vs No),
# subject = subject. Shannon (natural log, vegan's diversity()) and Gini-Simpson per sample,
# the mean of each subject in each group, and R's paired Wilcoxon signed-rank test over the
# subjects with samples in both groups (the others left out), as orbiome's blocked form does.
# Usage: Rscript hmp2_alpha_reference.R [SHARED_DATA_DIR]   (writes hmp2_antibiotics_alpha_paired.tsv here)
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) > 0) args[1] else "../../../../shared/data"
fmt <- function(x) sprintf("%.17g", x)
h <- paste0(shared, "/tables/maaslin2_hmp2/")
tax <- as.matrix(read.delim(paste0(h, "HMP2_taxonomy.tsv"), row.names = 1, check.names = FALSE))
md <- read.delim(paste0(h, "HMP2_metadata.tsv"), row.names = 1, check.names = FALSE)
md <- md[rownames(tax), ]
p <- tax / rowSums(tax)
metrics <- list(shannon = apply(p, 1, function(x) { x <- x[x > 0]; -sum(x * log(x)) }),
                simpson = apply(p, 1, function(x) 1 - sum(x^2)))
out <- NULL
for (m in names(metrics)) {
  cell <- tapply(metrics[[m]], list(md$subject, md$antibiotics), mean)
  both <- cell[!is.na(cell[, "Yes"]) & !is.na(cell[, "No"]), ]
  w <- wilcox.test(both[, "Yes"], both[, "No"], paired = TRUE)
  out <- rbind(out, data.frame(metric = m, n_subjects = nrow(both), V = fmt(w$statistic), p = fmt(w$p.value)))
}
write.table(out, "hmp2_antibiotics_alpha_paired.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
