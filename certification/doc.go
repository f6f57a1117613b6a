// Package certification decides the assisted survival certification
// (协助生存认证) of the recipients of payments that require it: which
// measures of the catalogue require it and how often, each recipient's due
// date, who is due soon, who is overdue and goes to the county's list for
// suspension review (暂停发放审核: a review, never an automatic stop), how
// a late certification restores, how the reminders climb the relay's chain
// (grid worker → village → town → county), and what a record of the
// assistance must hold. The system records the assistance; it does not
// replace the official certification.
//
// Dates are calendar days in local time (Asia/Shanghai by default).
package certification
