package httpserver

// webRoutes is the route table of the web UI. Forms post back to the
// page's own URL; successful posts redirect (post/redirect/get), so a
// reload never submits twice.
func (s *Server) webRoutes() []route {
	return []route{
		{method: "GET", pattern: "/login", h: s.webLoginForm, public: true},
		{method: "POST", pattern: "/login", h: s.webLogin, public: true},
		{method: "POST", pattern: "/logout", h: s.webLogout, duringPasswordChange: true},
		{method: "GET", pattern: "/lang/{lang}", h: s.webSetLang, public: true},

		{method: "GET", pattern: "/{$}", h: s.webHome},
		{method: "GET", pattern: "/account", h: s.webAccount, duringPasswordChange: true},
		{method: "GET", pattern: "/account/password", h: s.webPasswordForm, duringPasswordChange: true},
		{method: "POST", pattern: "/account/password", h: s.webChangePassword, duringPasswordChange: true},

		{method: "GET", pattern: "/places", h: s.webPlaces},
		{method: "GET", pattern: "/places/import", h: s.webPlacesImportForm},
		{method: "POST", pattern: "/places/import", h: s.webPlacesImport, maxBody: uploadMaxBody},
		{method: "GET", pattern: "/places/{code}", h: s.webPlace},
		{method: "POST", pattern: "/places/{code}", h: s.webUpdatePlace},
		{method: "POST", pattern: "/places/{code}/children", h: s.webCreatePlace},

		{method: "GET", pattern: "/users", h: s.webUsers},
		{method: "GET", pattern: "/users/new", h: s.webNewUserForm},
		{method: "POST", pattern: "/users/new", h: s.webCreateUser},
		{method: "GET", pattern: "/users/{userID}", h: s.webUser},
		{method: "POST", pattern: "/users/{userID}", h: s.webUpdateUser},
		{method: "POST", pattern: "/users/{userID}/password", h: s.webResetPassword},

		{method: "GET", pattern: "/audit", h: s.webAudit},

		{method: "GET", pattern: "/register", h: s.webRegister},
		{method: "GET", pattern: "/households/new", h: s.webNewHousehold},
		{method: "POST", pattern: "/households/new", h: s.webCreateHousehold},
		{method: "GET", pattern: "/households/{householdID}", h: s.webHousehold},
		{method: "GET", pattern: "/households/{householdID}/edit", h: s.webEditHousehold},
		{method: "POST", pattern: "/households/{householdID}/edit", h: s.webUpdateHousehold},
		{method: "POST", pattern: "/households/{householdID}/reveal", h: s.webRevealHousehold},
		{method: "GET", pattern: "/households/{householdID}/members/new", h: s.webNewMember},
		{method: "POST", pattern: "/households/{householdID}/members/new", h: s.webAddMember},
		{method: "POST", pattern: "/households/{householdID}/categories", h: s.webAssignHousehold},
		{method: "POST", pattern: "/households/{householdID}/head", h: s.webSetHead},
		{method: "POST", pattern: "/households/{householdID}/merge", h: s.webMerge},
		{method: "GET", pattern: "/households/{householdID}/split", h: s.webSplitForm},
		{method: "POST", pattern: "/households/{householdID}/split", h: s.webSplit},
		{method: "GET", pattern: "/persons/{personID}", h: s.webPerson},
		{method: "GET", pattern: "/persons/{personID}/edit", h: s.webEditPerson},
		{method: "POST", pattern: "/persons/{personID}/edit", h: s.webUpdatePerson},
		{method: "POST", pattern: "/persons/{personID}/reveal", h: s.webRevealPerson},
		{method: "POST", pattern: "/persons/{personID}/status", h: s.webPersonStatus},
		{method: "POST", pattern: "/persons/{personID}/categories", h: s.webAssignPerson},
		{method: "POST", pattern: "/persons/{personID}/move", h: s.webMovePerson},
		{method: "POST", pattern: "/categories/{assignmentID}/end", h: s.webEndCategory},
		{method: "GET", pattern: "/duplicates", h: s.webDuplicates},
		{method: "POST", pattern: "/duplicates", h: s.webDecideDuplicate},

		{method: "GET", pattern: "/imports", h: s.webImports},
		{method: "POST", pattern: "/imports", h: s.webUploadImport, maxBody: uploadMaxBody},
		{method: "GET", pattern: "/imports/{importID}", h: s.webImport},
		{method: "POST", pattern: "/imports/{importID}/preview", h: s.webPreviewImport},
		{method: "POST", pattern: "/imports/{importID}/commit", h: s.webCommitImport},
		{method: "GET", pattern: "/imports/{importID}/errors.xlsx", h: s.importErrors},
		{method: "GET", pattern: "/imports/{importID}/file", h: s.importOriginal},
		{method: "GET", pattern: "/export", h: s.webExport},
		{method: "GET", pattern: "/export.xlsx", h: s.exportLedger},
		{method: "GET", pattern: "/ledger-template.xlsx", h: s.ledgerTemplate},
	}
}
