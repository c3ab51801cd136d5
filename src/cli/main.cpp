#include "cli/cli.hpp"

int main(int argc, char** argv) { return orbiome::cli::run(argc, argv); }
