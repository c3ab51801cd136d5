# Writes the enterotype table (Arumugam et al. 2011, Nature 473:174; phyloseq's `enterotype`
# dataset from Debian r-bioc-phyloseq 1.42.0: 553 genera x 280 samples, relative abundances,
# enterotype labels 1-3) as LEfSe and orbiome inputs, without the 9 unlabelled samples:
#   DIR/case.txt    LEfSe input: row 1 Enterotype (class, "E1".."E3"), row 2 sample id (subject), genus rows
#   DIR/table.tsv   orbiome feature table (feature_id, samples)
#   DIR/meta.tsv    orbiome metadata (sample-id, Enterotype, subject)
# Usage: Rscript enterotype_case.R DIR
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
load("/usr/lib/R/site-library/phyloseq/data/enterotype.RData")
otu <- methods::slot(enterotype, "otu_table")
m <- methods::slot(otu, ".Data")
if (!methods::slot(otu, "taxa_are_rows")) m <- t(m)
sd <- methods::slot(enterotype, "sam_data")
cls <- as.character(sd[["Enterotype"]])
keep <- !is.na(cls)
m <- m[, keep]
cls <- paste0("E", cls[keep])
ids <- colnames(m)
num <- function(x) formatC(x, digits = 17, format = "g")
rows <- vapply(seq_len(nrow(m)), function(i) paste(num(m[i, ]), collapse = "\t"), "")
writeLines(c(paste(c("Enterotype", cls), collapse = "\t"), paste(c("subject", ids), collapse = "\t"),
             paste(rownames(m), rows, sep = "\t")), file.path(dir, "case.txt"))
writeLines(c(paste(c("feature_id", ids), collapse = "\t"), paste(rownames(m), rows, sep = "\t")),
           file.path(dir, "table.tsv"))
writeLines(c("sample-id\tEnterotype\tsubject", paste(ids, cls, ids, sep = "\t")), file.path(dir, "meta.tsv"))
