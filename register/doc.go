// Package register holds the rules of the register (台账) of households and
// persons that are decisions rather than storage: what a move, a split
// and a merge of households require, which category assignments a new one
// ends or collides with, how an assignment may end, which labels a case
// puts on a household, how a duplicate pair is decided, and the ledger
// import use case (Import) shared by the web, the API and the CLI.
//
// The register's kernel types (Household, Person, Category, Assignment,
// their inputs and vocabularies) stay in package safetynet, which every
// layer imports; this package imports neither net/http nor database/sql.
// sqlstore calls these functions inside its transactions and persists what
// they return.
//
// Rules of category assignments, in the order they are checked:
//
//  1. The category must exist for the subject (household or person); a
//     risk label needs a risk type; the start is given and not in the
//     future (safetynet.CheckNewAssignment).
//  2. A subject may not hold the same category (and risk type) twice at
//     once (Assign: a conflict naming the start of the one held).
//  3. Categories of one group replace each other: assigning one ends the
//     active one of its group with the reason "changed" (Assign).
//  4. An assignment ends once, on a date between its start and today,
//     with an EndReasons code (CheckEnd).
//
// Possible duplicates are active persons of the same name and birth date
// (ID numbers cannot repeat: the register refuses them); a person decides
// a pair once (CheckDuplicateDecision): "same" retires the second
// registration, "different" hides the pair for good.
package register
