// chainctl's nouns, one file each: every file adds its verbs to the table, in the order
// `chainctl help` lists them. commands.cc puts the nouns in order.
#ifndef CHAINHUB_TOOLS_CHAINCTL_VERBS_VERBS_H_
#define CHAINHUB_TOOLS_CHAINCTL_VERBS_VERBS_H_

#include "tools/chainctl/verb_table.h"

namespace chainhub::chainctl {

void AddTokenVerbs(VerbTable& table);        // token mint
void AddHealthVerbs(VerbTable& table);       // health
void AddSeedVerbs(VerbTable& table);         // seed
void AddChainsVerbs(VerbTable& table);       // chains list, get
void AddMapVerbs(VerbTable& table);          // map
void AddGapsVerbs(VerbTable& table);         // gaps
void AddEnterprisesVerbs(VerbTable& table);  // enterprises import, list, get
void AddDepartmentsVerbs(VerbTable& table);  // departments list
void AddProvinceVerbs(VerbTable& table);     // province resolve
void AddAuditVerbs(VerbTable& table);        // audit list
void AddProjectsVerbs(VerbTable& table);     // projects import, list, get, advance, history, report
void AddIssuesVerbs(VerbTable& table);       // issues list, get, create, move
void AddLightsVerbs(VerbTable& table);       // lights evaluate
void AddSummaryVerbs(VerbTable& table);      // summary
// Assessment (verbs/assessment_inputs.cc, assessment_schemes.cc, assessment_runs.cc).
void AddIndicatorsVerbs(VerbTable& table);  // indicators apply, list
void AddTargetsVerbs(VerbTable& table);     // targets set, import, list
void AddValuesVerbs(VerbTable& table);      // values report, import, list
void AddSchemesVerbs(VerbTable& table);     // schemes apply, show, diff, list
void AddRatingsVerbs(VerbTable& table);     // ratings enter
void AddRunsVerbs(VerbTable& table);        // runs create, list, show, explain, replay, export
void AddSchedulesVerbs(VerbTable& table);   // schedules put, list

// Notify's rules and outside delivery (verbs/subscriptions.cc, endpoints.cc).
void AddSubscriptionsVerbs(VerbTable& table);  // subscriptions apply, list, show, delete
// endpoints create, list, show, update, delete, rotate, resume
void AddEndpointsVerbs(VerbTable& table);
void AddDispatchesVerbs(VerbTable& table);  // dispatches list, show, redeliver

// Notify (verbs/notify.cc).
void AddNoticesVerbs(VerbTable& table);  // notices send, list, show
void AddInboxVerbs(VerbTable& table);    // inbox list, read, ack, watch

// Province sync (verbs/sync.cc): sync snapshot, watch, status, pushes, pause, resume, reconcile,
// export.
void AddSyncVerbs(VerbTable& table);

// Support (verbs/support_*.cc).
// assignments apply, list, show, end; visits log, list; firm-plans apply, list, show, review
void AddSupportAssignmentVerbs(VerbTable& table);
// requests create, import, list, show, move, reply, figures; calendar put, show;
// deadline-rules put, show
void AddSupportRequestVerbs(VerbTable& table);
// policies apply, list; items list, import, show, match, for, payouts; claims list, apply,
// decide, pay; payouts figures
void AddSupportPolicyVerbs(VerbTable& table);
// entries apply, list, match; spend import, list, rate
void AddSupportChainVerbs(VerbTable& table);
// plans apply, list, show, publish, report, progress; support export, audit
void AddSupportPlanVerbs(VerbTable& table);
}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_VERBS_VERBS_H_
