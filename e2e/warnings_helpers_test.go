package e2e

import (
	"slices"

	"safetynet/sqlstore"
)

// reportedClues drops the clues the demo's department warnings raised
// (source 部门推送), leaving those people reported.
func reportedClues(clues []sqlstore.Clue) []sqlstore.Clue {
	return slices.DeleteFunc(clues, func(c sqlstore.Clue) bool { return c.Source == "department" })
}
