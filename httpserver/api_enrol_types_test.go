package httpserver

// The answers of the survey-and-register (登记造册) and dashboard routes,
// checked against their OpenAPI schemas.
func init() {
	for k, v := range map[string]any{
		"EnrolProgress": enrolProgressJSON{}, "EnrolSearch": enrolSearchJSON{}, "EnrolTally": enrolTallyJSON{},
		"EnrolSheet": enrolSheetJSON{}, "EnrolPerson": enrolPersonJSON{}, "EnrolVillage": enrolVillageJSON{},
		"EnrolGroup": enrolGroupJSON{}, "EnrolPlace": placeRefJSON{}, "EnrolAdded": enrolAddedJSON{},
		"Dashboard": dashboardJSON{}, "DashboardRow": dashRowJSON{}, "DashboardTime": dashTimeJSON{},
		"DashboardTimes": dashTimesJSON{},
	} {
		responseTypes[k] = v
	}
}
