package httpserver

func init() {
	for k, v := range map[string]any{"Rectification": rectificationJSON{}, "RectificationList": rectificationListJSON{},
		"RectifyEvent": rectifyEventJSON{}, "RectificationDetail": rectificationDetailJSON{}, "RectificationRaised": rectifyRaisedJSON{},
		"ScoreDeduction": deductionJSON{}, "VillageScore": villageScoreJSON{}, "ScoreTotal": scoreTotalJSON{},
		"InspectionScores": inspectionScoresJSON{}, "ScoreCheck": scoreCheckJSON{}, "VillageScoreDetail": villageScoreDetailJSON{},
		"ScoreRow": scoreRowJSON{}, "ScoreSummary": scoreSummaryJSON{}} {
		responseTypes[k] = v
	}
}
