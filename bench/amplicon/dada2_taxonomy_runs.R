# DADA2 1.26 assignTaxonomy(minBoot = 50) run N times (its bootstrap is unseeded) on the ASVs of
# an orbiome asv.fasta, to measure how DADA2's own labels vary and compare them with orbiome's
# seeded classifier (compare_taxonomy.py). Usage: Rscript dada2_taxonomy_runs.R ASV_FASTA TRAIN N OUT_DIR
suppressMessages(library(dada2))
args <- commandArgs(TRUE)
fa <- readLines(args[1])
ids <- sub("^>", "", fa[c(TRUE, FALSE)])
seqs <- fa[c(FALSE, TRUE)]
for (run in seq_len(as.integer(args[3]))) {
  t <- assignTaxonomy(seqs, args[2], minBoot = 50, outputBootstraps = TRUE, multithread = 2)
  lab <- apply(t$tax, 1, function(r) paste(r[!is.na(r)], collapse = "; "))
  near <- apply(t$boot, 1, function(b) min(abs(b - 50)))  # closest any level's bootstrap comes to 50
  write.table(data.frame(id = ids, taxon = lab, near = near), file.path(args[4], sprintf("run%d.tsv", run)),
              sep = "\t", quote = FALSE, row.names = FALSE)
}
