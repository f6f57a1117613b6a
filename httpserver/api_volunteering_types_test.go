package httpserver

func init() {
	for k, v := range map[string]any{
		"VolunteerTask": volTaskJSON{}, "VolunteerTaker": volTakerJSON{}, "VolunteerSlot": volSlotJSON{}, "VolunteerRelay": volRelayJSON{},
		"VolunteerRelayList": volRelayListJSON{}, "VolunteerLink": volLinkJSON{}, "VolunteerMySlot": volMySlotJSON{},
		"VolunteerTakerRelay": volTakerRelayJSON{}, "VolunteerMine": volMineJSON{}, "VolunteerTake": volTakeJSON{},
		"VolunteerHoursRow": volHoursRowJSON{}, "VolunteerTeamHours": volTeamHoursJSON{}, "VolunteerHours": volHoursJSON{}, "VolunteerDevice": volDeviceJSON{},
		"VolunteerRef": volRefJSON{}, "VolunteerRefList": volRefListJSON{}, "VolunteerTeam": volTeamJSON{}, "VolunteerTeamList": volTeamListJSON{},
	} {
		responseTypes[k] = v
	}
}
