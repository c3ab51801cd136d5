# Per-sample denoising cost in DADA2 1.26: learnErrors + dada on one single-end sample, timed
# inside R (library load excluded). Rscript dada2_scaling.R FASTQ OUT_DIR THREADS
suppressMessages(library(dada2))
a <- commandArgs(TRUE)
threads <- as.integer(a[3])
filt <- file.path(a[2], "filtered.fq.gz")
filterAndTrim(a[1], filt, truncLen = 240, maxEE = 2, truncQ = 2, maxN = 0, rm.phix = TRUE, multithread = threads)
t0 <- Sys.time()
err <- learnErrors(filt, multithread = threads)
dd <- dada(filt, err = err, multithread = threads)
cat(sprintf("dada2_seconds %.3f asvs %d\n", as.numeric(difftime(Sys.time(), t0, units = "secs")), nrow(dd$clustering)))
