# DADA2 1.26 golden run on dada2's extdata sam1/sam2 (truncLen 240,160, maxEE 2), frozen for
# orbiome's parity tests. Run: Rscript extdata.R DATA_DIR OUT_DIR   (DATA_DIR = ../shared/data/amplicon/dada2_extdata)
suppressMessages(library(dada2))
args <- commandArgs(TRUE)
dat <- args[1]; out <- args[2]
dir.create(out, showWarnings = FALSE)
tmp <- tempfile(); dir.create(tmp)
fnF <- file.path(dat, c("sam1F.fastq.gz", "sam2F.fastq.gz"))
fnR <- file.path(dat, c("sam1R.fastq.gz", "sam2R.fastq.gz"))
filtF <- file.path(tmp, c("s1F.fq.gz", "s2F.fq.gz"))
filtR <- file.path(tmp, c("s1R.fq.gz", "s2R.fq.gz"))
ft <- filterAndTrim(fnF, filtF, fnR, filtR, truncLen = c(240, 160), maxEE = 2, multithread = FALSE)
write.table(data.frame(sample = c("sam1", "sam2"), ft), file.path(out, "filter_counts.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
for (i in 1:2) {
  sq <- ShortRead::readFastq(filtF[i])
  writeLines(as.character(ShortRead::id(sq)), file.path(out, sprintf("kept_ids.sam%d.txt", i)))
}
set.seed(100)
errF <- learnErrors(filtF, multithread = FALSE)
errR <- learnErrors(filtR, multithread = FALSE)
wr_err <- function(e, f) {
  m <- getErrors(e)
  df <- data.frame(transition = rownames(m), formatC(m, digits = 17, format = "g"), check.names = FALSE)
  write.table(df, f, sep = "\t", quote = FALSE, row.names = FALSE)
}
wr_err(errF, file.path(out, "errors.fwd.tsv")); wr_err(errR, file.path(out, "errors.rev.tsv"))
# The raw transition counts of the final round, to test the loess fit in isolation.
wr_tr <- function(e, f) write.table(data.frame(transition = rownames(e$trans), e$trans, check.names = FALSE), f, sep = "\t", quote = FALSE, row.names = FALSE)
wr_tr(errF, file.path(out, "trans.fwd.tsv")); wr_tr(errR, file.path(out, "trans.rev.tsv"))
drpF <- derepFastq(filtF); drpR <- derepFastq(filtR)
for (i in 1:2) {
  writeLines(sprintf("%d", length(drpF[[i]]$uniques)), file.path(out, sprintf("uniques.sam%dF.txt", i)))
}
ddF <- dada(drpF, err = errF, multithread = FALSE)
ddR <- dada(drpR, err = errR, multithread = FALSE)
wr_dd <- function(d, f) write.table(data.frame(sequence = d$clustering$sequence, abundance = d$clustering$abundance, n0 = d$clustering$n0, n1 = d$clustering$n1, nunq = d$clustering$nunq, birth_pval = d$clustering$birth_pval), f, sep = "\t", quote = FALSE, row.names = FALSE)
for (i in 1:2) { wr_dd(ddF[[i]], file.path(out, sprintf("dada.sam%dF.tsv", i))); wr_dd(ddR[[i]], file.path(out, sprintf("dada.sam%dR.tsv", i))) }
mm <- mergePairs(ddF, drpF, ddR, drpR)
for (i in 1:2) write.table(mm[[i]], file.path(out, sprintf("merged.sam%d.tsv", i)), sep = "\t", quote = FALSE, row.names = FALSE)
st <- makeSequenceTable(mm)
bim <- isBimeraDenovoTable(st)
nc <- removeBimeraDenovo(st, method = "consensus")
write.table(data.frame(sequence = colnames(st), sam1 = st[1, ], sam2 = st[2, ], bimera = bim), file.path(out, "seqtab.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
cat(sprintf("nochim %d x %d\n", nrow(nc), ncol(nc)))
