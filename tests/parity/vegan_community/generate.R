# Regenerates the frozen vegan 2.6-4 references of orbiome's community tests.
# Run from this folder: Rscript generate.R   (needs r-cran-vegan 2.6-4; reads vegan's own dune data)
suppressMessages(library(vegan))
stopifnot(as.character(packageVersion("vegan")) == "2.6.4")
data(dune); data(dune.env)
ids <- rownames(dune)
bray <- vegdist(dune, method = "bray")

fmt <- function(x) trimws(formatC(x, digits = 17, format = "g"))
write_dm <- function(d, path) {
  m <- as.matrix(d)
  f <- fmt(m)
  dim(f) <- dim(m)
  out <- cbind(rownames(m), f)
  writeLines(c(paste(c("", colnames(m)), collapse = "\t"),
               apply(out, 1, paste, collapse = "\t")), path)
}
write_tab <- function(df, path) {
  write.table(df, path, sep = "\t", quote = FALSE, row.names = FALSE, na = "NA")
}
dir.create("dune", showWarnings = FALSE)
write_dm(bray, "dune/bray.tsv")
env <- data.frame(sample_id = ids, A1 = dune.env$A1, Moisture = as.character(dune.env$Moisture),
                  Management = as.character(dune.env$Management), Use = as.character(dune.env$Use),
                  Manure = as.character(dune.env$Manure))
write_tab(env, "dune/env.tsv")

NPERM <- 9999  # references carry more permutations than the tests, so their own Monte-Carlo error is small
adonis_case <- function(name, formula, by, strata = NULL) {
  set.seed(20240101)
  a <- if (is.null(strata)) adonis2(formula, data = dune.env, permutations = NPERM, by = by)
       else adonis2(formula, data = dune.env, permutations = NPERM, by = by, strata = strata)
  df <- data.frame(term = rownames(a), df = a$Df, sum_sq = fmt(a$SumOfSqs),
                   r2 = fmt(a$R2), F = fmt(a$F),
                   p_value = a$`Pr(>F)`)
  df$F[is.na(a$F)] <- "NA"
  write_tab(df, file.path("dune", paste0("adonis2_", name, ".tsv")))
}
adonis_case("terms", bray ~ Management + A1, "terms")
adonis_case("margin", bray ~ Management + A1, "margin")
adonis_case("none", bray ~ Management + A1, NULL)
adonis_case("interaction_terms", bray ~ Management * A1, "terms")
adonis_case("interaction_margin", bray ~ Management * A1, "margin")
adonis_case("two_factors_terms", bray ~ Use + Management, "terms")
adonis_case("strata_terms", bray ~ A1, "terms", strata = dune.env$Management)

# betadisper (both centre types) and its permutation test, Management groups.
for (type in c("median", "centroid")) {
  set.seed(20240101)
  bd <- betadisper(bray, dune.env$Management, type = type)
  pt <- permutest(bd, permutations = NPERM)
  write_tab(data.frame(type = type, F = fmt(pt$tab$F[1]),
                       p_value = pt$tab$`Pr(>F)`[1], n_perm = NPERM),
            file.path("dune", paste0("betadisper_", type, ".tsv")))
  write_tab(data.frame(sample_id = ids, distance = fmt(bd$distances)),
            file.path("dune", paste0("betadisper_", type, "_distances.tsv")))
}
# anosim (Management) and mantel (bray vs Euclidean distance of A1), one-sided in vegan.
set.seed(20240101)
an <- anosim(bray, dune.env$Management, permutations = NPERM)
write_tab(data.frame(R = fmt(an$statistic), p_value = an$signif, n_perm = NPERM),
          "dune/anosim_management.tsv")
a1 <- dist(dune.env$A1)
attr(a1, "Labels") <- ids
write_dm(a1, "dune/a1_euclidean.tsv")
for (m in c("pearson", "spearman")) {
  set.seed(20240101)
  mt <- mantel(bray, a1, method = m, permutations = NPERM)
  write_tab(data.frame(method = m, r = fmt(mt$statistic),
                       p_value_greater = mt$signif, n_perm = NPERM),
            file.path("dune", paste0("mantel_a1_", m, ".tsv")))
}
