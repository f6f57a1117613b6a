package httpserver

func init() {
	for k, v := range map[string]any{
		"ScreeningCampaigns": screeningCampaignsJSON{}, "ScreeningCampaign": screeningCampaignJSON{}, "ScreeningCount": screeningCountJSON{},
		"ScreeningProgress": screeningProgressJSON{}, "ScreeningHouseholds": screeningCampaignListJSON{}, "ScreeningHousehold": screeningHouseholdJSON{},
		"ScreeningRecord": screeningRecordJSON{}, "ScreeningForm": screeningFormJSON{}, "ScreeningHanded": screeningHandedJSON{},
	} {
		responseTypes[k] = v
	}
}
