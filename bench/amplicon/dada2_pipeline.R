# The DADA2 1.26 steps orbiome's `amplicon denoise` + `amplicon classify` reproduce, as in the
# DADA2 tutorial: Rscript dada2_pipeline.R SAMPLESHEET TRAIN_FASTA OUT_DIR THREADS
suppressMessages(library(dada2))
a <- commandArgs(TRUE)
ss <- read.delim(a[1], stringsAsFactors = FALSE)
out <- a[3]; threads <- as.integer(a[4])
dir.create(out, showWarnings = FALSE)
filtF <- file.path(out, "filtered", paste0(ss$sample, "_F.fq.gz"))
filtR <- file.path(out, "filtered", paste0(ss$sample, "_R.fq.gz"))
t0 <- Sys.time()
ft <- filterAndTrim(ss$reads, filtF, ss$reads2, filtR, truncLen = c(240, 160), maxEE = c(2, 2),
                    truncQ = 2, maxN = 0, rm.phix = TRUE, multithread = threads)
errF <- learnErrors(filtF, multithread = threads)
errR <- learnErrors(filtR, multithread = threads)
ddF <- dada(filtF, err = errF, multithread = threads)
ddR <- dada(filtR, err = errR, multithread = threads)
mm <- mergePairs(ddF, filtF, ddR, filtR)
st <- makeSequenceTable(mm)
nc <- removeBimeraDenovo(st, method = "consensus", multithread = threads)
tax <- assignTaxonomy(nc, a[2], multithread = threads)
cat(sprintf("dada2: %d samples, %d ASVs before chimeras, %d after, %.1f s\n", nrow(st), ncol(st), ncol(nc),
            as.numeric(difftime(Sys.time(), t0, units = "secs"))))
write.table(data.frame(sequence = colnames(nc), t(nc), check.names = FALSE), file.path(out, "seqtab_nochim.tsv"),
            sep = "\t", quote = FALSE, row.names = FALSE)
write.table(data.frame(sequence = rownames(tax), tax), file.path(out, "taxonomy.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
