# Firmicutes/Bacteroidetes log2 ratio, ISS vs ISS_G at Time = final (see PROVENANCE.md).
# Run from this folder: Rscript r_reference.R
counts <- read.delim("../rr5_genus/genus_counts.tsv", comment.char = "#", check.names = FALSE, row.names = 1)
counts$taxonomy <- NULL  # lineage column
meta <- read.delim("../rr5_genus/rr5_fecal_meta.tsv", check.names = FALSE, row.names = 1)[colnames(counts), ]
rel <- sweep(as.matrix(counts), 2, colSums(counts), "/")
phylum <- sapply(strsplit(rownames(rel), ";"), `[`, 2)
keep <- meta$Time == "final" & meta$Treatment %in% c("ISS", "ISS_G")
num <- colSums(rel[phylum == "Firmicutes", keep]); den <- colSums(rel[phylum == "Bacteroidetes", keep])
pc <- min(c(num[num > 0], den[den > 0])) / 2  # orbiome's stated default pseudocount
lr <- log2((num + pc) / (den + pc))
g <- meta$Treatment[keep]
t <- t.test(lr[g == "ISS"], lr[g == "ISS_G"]); w <- wilcox.test(lr[g == "ISS"], lr[g == "ISS_G"])
f17 <- function(x) sprintf("%.17g", x)
write.table(data.frame(effect = f17(mean(lr[g == "ISS"]) - mean(lr[g == "ISS_G"])), t = f17(t$statistic),
                       t_p = f17(t$p.value), W = f17(w$statistic), W_p = f17(w$p.value), pseudocount = f17(pc)),
            "fb_ratio_iss_vs_issg_final.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
