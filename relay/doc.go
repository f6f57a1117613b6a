// Package relay holds the rules of the relay from a clue to help (救助接力):
// the types of its steps and the pure decisions every layer asks about —
// who acts next, by when, who hears of it, where an overdue step goes and
// who may decide an application. It imports neither net/http nor
// database/sql: sqlstore calls these functions inside its transactions and
// persists what they return; the web and API layers only show it.
//
// The rules, in the order a clue meets them:
//
//   - A clue is reported; the village (or the first level of the chain
//     that exists above the place) must acknowledge it within the time
//     limit of its urgency (AcknowledgeStep). Its users are told
//     (NewClueNotice).
//   - Acknowledging opens the home visit (VerifyStep) and tells the
//     reporter (AcknowledgedNotice).
//   - The visit decides (VerifyOutcome): no action closes the clue;
//     emergency help opens an urgent case; a case opens a case of the
//     clue's urgency. Opening a case opens the first-help step (HelpStep)
//     and tells the village, and the town too when urgent (CaseNotices).
//   - An application for a measure is decided at ApprovalLevel (临时救助:
//     the town up to the measure's county threshold, the county above)
//     within the measure's working days (DecideStep).
//   - Follow-up visits belong to the grid (the village where there is no
//     grid) and are due by the end of their day (FollowupStep).
//   - A step whose deadline passes goes one level up the chain
//     (Escalation): grid → village → town → county, with a new deadline
//     of the same length; the users of the new owner place with the role
//     answering at its level (RoleOfLevel) are told: one message per step,
//     or one message saying how many when a sweep passes more than
//     DigestOver steps to one place (Digest).
//   - Closing a case ends the register categories it made with the reason
//     matching its outcome (EndReason).
//   - The figures of a period (Period) count clues by source, the cases
//     they opened, the households helped through active discovery
//     (ActiveDiscovery: grid, visit, department) and the risks eliminated,
//     and summarise the time from the report to each step.
package relay
