# R references for `orbiome diff --subject` with wilcoxon / kruskal (tests/parity/r_blocked).
# Usage: Rscript r_reference.R   (run in this folder; writes *.tsv here)
# RR-5 fecal genera (../r_stats/rr5_genus), Treatment = LAR: 10 mice (SamID) sampled at pre, t.1,
# t.2 and final. Relative abundance = count / sample total over all genera; genera absent from
# every analysed sample are left out (as orbiome), and so are those R cannot test (every
# difference zero / every block tied), which orbiome reports untested.
fmt <- function(x) sprintf("%.17g", x)
rr5 <- "../r_stats/rr5_genus/"
counts <- read.delim(paste0(rr5, "genus_counts.tsv"), skip = 1, row.names = 1, check.names = FALSE)
counts <- as.matrix(counts[, colnames(counts) != "taxonomy"])
meta <- read.delim(paste0(rr5, "rr5_fecal_meta.tsv"), row.names = 1, check.names = FALSE)
meta <- meta[colnames(counts), ]
rel <- t(t(counts) / colSums(counts))
lar <- meta$Treatment == "LAR"
value <- function(f, time) { s <- which(lar & meta$Time == time); setNames(rel[f, s], meta$SamID[s]) }
mice <- sort(unique(meta$SamID[lar]))

# Paired: final vs pre.
out <- NULL
for (f in rownames(rel)) {
  x <- value(f, "final")[mice]; y <- value(f, "pre")[mice]
  if (all(c(x, y) == 0) || all(x - y == 0)) next
  w <- suppressWarnings(wilcox.test(x, y, paired = TRUE))
  out <- rbind(out, data.frame(feature = f, statistic = fmt(w$statistic), p = fmt(w$p.value)))
}
write.table(out, "lar_final_vs_pre_paired_wilcoxon.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# Friedman over the four times (columns in byte order, as orbiome's levels).
times <- sort(c("final", "pre", "t.1", "t.2"), method = "radix")
out <- NULL
for (f in rownames(rel)) {
  m <- sapply(times, function(tm) value(f, tm)[mice])
  if (all(m == 0)) next
  fr <- friedman.test(m)
  if (is.nan(fr$statistic)) next
  out <- rbind(out, data.frame(feature = f, statistic = fmt(fr$statistic), p = fmt(fr$p.value)))
}
write.table(out, "lar_time_friedman.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# Subjects nested in groups: LAR vs LAR_G mice over all four times (4 samples per mouse, each
# mouse in one group): rank-sum test on one mean relative abundance per mouse (10 vs 10).
both <- meta$Treatment %in% c("LAR", "LAR_G")
out <- NULL
for (f in rownames(rel)) {
  m <- tapply(rel[f, both], meta$SamID[both], mean)
  g <- tapply(meta$Treatment[both], meta$SamID[both], function(x) x[1])
  if (all(rel[f, both] == 0) || length(unique(m)) == 1) next
  w <- suppressWarnings(wilcox.test(m[g == "LAR"], m[g == "LAR_G"]))
  out <- rbind(out, data.frame(feature = f, statistic = fmt(w$statistic), p = fmt(w$p.value)))
}
write.table(out, "lar_vs_larg_subject_means_ranksum.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
