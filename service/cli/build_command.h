// `policyd build`: makes an OPA bundle (.tar.gz) from policy and data files,
// as `opa build` does.
//
//   policyd build [-b] PATH... [-o bundle.tar.gz] [--revision R]
//                 [--ignore GLOB]... [--v0-compatible]
//                 [--signing-key FILE [--signing-alg ALG] [--claims-file FILE]
//                  [--scope S]]
//
// Without -b, PATHs are loaded as `policyd eval -d` loads them and the
// bundle holds `/.manifest` (roots [""]), `/data.json` (all data) and each
// module at its path. With -b, the one PATH is a bundle directory (or
// .tar.gz): its manifest is kept (the revision replaced by --revision), its
// data merged into `/data.json`, its modules kept at their paths. Every
// module is compiled first: a compile error fails the build with
// file:line:col. With --signing-key, `/.signatures.json` signs every file.
//
// Exit status: 0 when the bundle was written, 1 on a load, compile or
// signing error, 2 on a usage error.
#ifndef POLICYD_SERVICE_CLI_BUILD_COMMAND_H_
#define POLICYD_SERVICE_CLI_BUILD_COMMAND_H_

#include "service/cli/command.h"

namespace policyd {

Command BuildCommand();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_BUILD_COMMAND_H_
