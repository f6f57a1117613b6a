package httpserver

import "safetynet"

// errorJSON is the body of every API error:
// {"error":{"code":"…","message":"…","field":"…"}}.
type errorJSON struct {
	Error errorDetailJSON `json:"error"`
	// Issues lists every problem of a rule's source (400 on rules).
	Issues []ruleIssueJSON `json:"issues,omitempty"`
}

// errorDetailJSON is what went wrong: also the "error" member of import
// reports that were refused as a whole.
type errorDetailJSON struct {
	Code    safetynet.ErrorCode `json:"code"`
	Message string              `json:"message"`
	Field   string              `json:"field,omitempty"`
	// Line and Column place the first problem of a rule's source.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

func errorDetail(e *safetynet.Error, lang string) errorDetailJSON {
	return errorDetailJSON{Code: e.Code, Message: e.Message(lang), Field: e.Field}
}

func errorBody(e *safetynet.Error, lang string) errorJSON {
	return errorJSON{Error: errorDetail(e, lang)}
}
