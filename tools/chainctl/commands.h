// chainctl's verb table: every noun's verbs, in the order `chainctl help` lists them, inside the
// help text's fixed frame (title, global flags, exit codes).
#ifndef CHAINHUB_TOOLS_CHAINCTL_COMMANDS_H_
#define CHAINHUB_TOOLS_CHAINCTL_COMMANDS_H_

#include "tools/chainctl/verb_table.h"

namespace chainhub::chainctl {

const VerbTable& Commands();

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_COMMANDS_H_
