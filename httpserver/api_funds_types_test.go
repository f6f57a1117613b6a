package httpserver

func init() {
	for k, v := range map[string]any{"FundCreated": fundCreatedJSON{}, "FundBalance": fundBalanceJSON{}, "FundSource": fundSourceJSON{},
		"FundSourceList": fundSourceListJSON{}, "FundTarget": fundTargetJSON{}, "FundDocument": fundDocumentJSON{}, "FundEntry": fundEntryJSON{},
		"FundSourceDetail": fundSourceDetailJSON{}, "FundSums": fundSumsJSON{}, "FundFigureRow": fundFigureRowJSON{}, "FundFigures": fundFiguresJSON{},
		"HouseholdFundLine": householdFundLineJSON{}, "HouseholdFunds": householdFundsJSON{}} {
		responseTypes[k] = v
	}
}
