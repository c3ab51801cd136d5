# DADA2 1.26 assignTaxonomy(minBoot = 50, outputBootstraps = TRUE) and addSpecies on the ASVs of
# the extdata and q2-dada2 single/paired parity runs, with DADA2's example training set.
# Run: Rscript taxonomy.R QUERY_FASTA TRAIN_FASTA SPECIES_FASTA OUT_TSV
suppressMessages(library(dada2))
a <- commandArgs(TRUE)
q <- ShortRead::readFasta(a[1])
seqs <- as.character(ShortRead::sread(q)); ids <- as.character(ShortRead::id(q))
set.seed(42)
tx <- assignTaxonomy(seqs, a[2], minBoot = 50, outputBootstraps = TRUE, multithread = FALSE)
sp <- addSpecies(tx$tax, a[3])
out <- data.frame(id = ids, tx$tax, Species = sp[, "Species"], tx$boot, check.names = FALSE)
colnames(out) <- c("id", paste0("tax_", colnames(tx$tax)), "species", paste0("boot_", colnames(tx$boot)))
write.table(out, a[4], sep = "\t", quote = FALSE, row.names = FALSE, na = "")
