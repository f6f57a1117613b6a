package httpserver

import "safetynet"

// errorJSON is the body of every API error:
// {"error":{"code":"…","message":"…","field":"…"}}.
type errorJSON struct {
	Error errorDetailJSON `json:"error"`
}

// errorDetailJSON is what went wrong: also the "error" member of import
// reports that were refused as a whole.
type errorDetailJSON struct {
	Code    safetynet.ErrorCode `json:"code"`
	Message string              `json:"message"`
	Field   string              `json:"field,omitempty"`
}

func errorDetail(e *safetynet.Error, lang string) errorDetailJSON {
	return errorDetailJSON{Code: e.Code, Message: e.Message(lang), Field: e.Field}
}

func errorBody(e *safetynet.Error, lang string) errorJSON {
	return errorJSON{Error: errorDetail(e, lang)}
}
