# Frozen vegan references for orbiome's diversity parity tests (see PROVENANCE.md).
# Usage: Rscript generate.R   (writes the four TSVs into the current directory)
suppressMessages(library(vegan))
data(dune)
fmt <- function(x) trimws(formatC(x, digits = 17, format = "g"))
H <- diversity(dune, index = "shannon")
S <- specnumber(dune)
est <- suppressWarnings(t(estimateR(dune)))  # its se.ACE warns; unused
alpha <- data.frame(sample_id = rownames(dune),
                    observed = S,
                    shannon = fmt(H),
                    simpson = fmt(diversity(dune, index = "simpson")),
                    inverse_simpson = fmt(diversity(dune, index = "invsimpson")),
                    chao1 = fmt(est[, "S.chao1"]),
                    ace = fmt(est[, "S.ACE"]),
                    pielou = fmt(H / log(S)))
write.table(alpha, "alpha.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
square <- function(d, file) {
  m <- as.matrix(d)
  out <- cbind(rownames(m), apply(m, 2, fmt))
  colnames(out) <- c("", colnames(m))
  write.table(out, file, sep = "\t", quote = FALSE, row.names = FALSE)
}
square(vegdist(dune, method = "bray"), "braycurtis.tsv")
square(vegdist(dune, method = "jaccard", binary = TRUE), "jaccard.tsv")
square(vegdist(dune, method = "aitchison", pseudocount = 1), "aitchison_pseudocount1.tsv")
cat("vegan", as.character(packageVersion("vegan")), "R", R.version.string, "\n")
