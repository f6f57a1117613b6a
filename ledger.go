package safetynet

// LedgerHousehold is one household read from a ledger (台账) file, with
// its members, validated and normalised, ready for the store to match
// against the register and save.
type LedgerHousehold struct {
	Row        int    // the first row of the household in the file
	Key        string // how the file identifies it: "number:…", "head:…" (head's ID) or "name:…@place"
	Household  HouseholdInput
	Categories []NewAssignment // household categories (监测对象类型, 风险类型 as risk labels)
	Members    []LedgerPerson  // the head first
}

// LedgerPerson is one person row of a ledger.
type LedgerPerson struct {
	Row        int
	Person     PersonInput
	Legacy     bool // the ID number was converted from 15 digits
	Categories []NewAssignment
}

// LedgerReport says what a ledger import did or, in a dry run, would do.
type LedgerReport struct {
	DryRun     bool
	Rows       int
	Households Counts
	Persons    Counts
	Categories int         // categories added
	Changes    []RowChange // what an update changed, per row
	Errors     []RowError
}

// Counts counts created, updated and unchanged records.
type Counts struct{ Created, Updated, Unchanged int }

// RowChange describes the update of one row: the fields that changed.
// Values of ID and phone numbers and health details are not included.
type RowChange struct {
	Row    int
	Name   string
	Fields []string
}

// MaxLedgerChanges bounds the changes a report lists.
const MaxLedgerChanges = 5000
