// The policyd binary.
#include <iostream>

#include "service/cli/cli.h"

int main(int argc, char** argv) {
  return policyd::RunCli(argc, argv, std::cout, std::cerr);
}
