package safetynet

// RowError is a problem with one row of an imported file.
type RowError struct {
	Row   int    // 1-based line or row number in the file, header included
	Field string // the column at fault, if any
	ZH    string
	EN    string
}

// Message returns the error in lang.
func (e RowError) Message(lang string) string {
	if lang == "zh" {
		return e.ZH
	}
	return e.EN
}

// ImportReport says what an import did, or would do in a dry run.
type ImportReport struct {
	DryRun    bool
	Rows      int
	Created   int
	Updated   int
	Unchanged int
	Errors    []RowError
}

// MaxImportErrors bounds the errors an import reports.
const MaxImportErrors = 1000
