# Times vegan's adonis2 on the benchmark input; prints seconds, F and p.
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(vegan))
d <- as.dist(as.matrix(read.table(file.path(args[1], "dm.tsv"), header = TRUE, row.names = 1, sep = "\t",
                                  check.names = FALSE)))
md <- read.table(file.path(args[1], "metadata.tsv"), header = TRUE, sep = "\t", row.names = 1)
set.seed(1)
t <- system.time(a <- adonis2(d ~ group, data = md, permutations = as.integer(args[2])))[["elapsed"]]
cat(sprintf("%.3f\t%.12g\t%g\n", t, a$F[1], a$`Pr(>F)`[1]))
