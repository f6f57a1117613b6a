package httpserver

import (
	"safetynet/inspections"
	"safetynet/sqlstore"
)

func init() {
	for k, v := range map[string]any{
		"Inspection": sqlstore.Inspection{}, "InspectorRef": sqlstore.InspectorRef{}, "InspectionCounts": sqlstore.InspectionCounts{},
		"InspectionList": inspectionListJSON{}, "InspectionOut": inspectionOutJSON{}, "InspectionView": sqlstore.InspectionView{},
		"SampleVillage": sqlstore.SampleVillage{}, "SampleHousehold": sqlstore.SampleHousehold{}, "InspectionRedraw": sqlstore.Redraw{},
		"InspectionCheck": sqlstore.InspectionCheck{}, "InspectionCheckOut": checkOutJSON{}, "InspectionCheckList": checkListJSON{},
		"InspectionSample": sqlstore.SampleDetail{}, "PrefillVisit": sqlstore.PrefillVisit{}, "PrefillMeasure": sqlstore.PrefillMeasure{},
		"PrefillService": sqlstore.PrefillService{}, "InspectionAnswer": inspections.Answer{},
	} {
		responseTypes[k] = v
	}
}
