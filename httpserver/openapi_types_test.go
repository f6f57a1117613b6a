package httpserver

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"safetynet"
	"safetynet/services"
	"safetynet/sqlstore"
	"safetynet/visits"
)

// responseTypes pairs each response type with its schema in openapi.yaml.
// A new response type belongs here; TestResponseTypesMatchSchemas then
// holds it to its schema field by field.
var responseTypes = map[string]any{
	"Pact": pactJSON{}, "PactList": pactListJSON{}, "PactAway": awayJSON{}, "PactDevice": deviceJSON{}, "PactDay": pactDayJSON{},
	"PactDayList": pactDayListJSON{}, "PactRound": pactRoundJSON{}, "PactRoundItem": pactRoundItemJSON{}, "PactLink": pactLinkJSON{},
	"PactDeviceSecret": pactDeviceSecretJSON{}, "PactCounts": pactCountsJSON{}, "PactFigure": pactFigureJSON{}, "PactFigures": pactFiguresJSON{},
	"Error": errorJSON{}, "ErrorDetail": errorDetailJSON{}, "Created": createdJSON{}, "Revealed": revealedJSON{},
	"Token": tokenJSON{}, "User": userJSON{}, "Me": meJSON{}, "UserList": userListJSON{},
	"Place": placeJSON{}, "PlaceRef": placeRef{}, "PlaceList": placeListJSON{},
	"RowError": rowErrorJSON{}, "ImportReport": importReportJSON{}, "AuditEntry": auditJSON{}, "AuditLog": auditLogJSON{},
	"Assignment": assignmentJSON{}, "Event": eventJSON{}, "Household": householdJSON{}, "HouseholdList": householdListJSON{},
	"HouseholdView": householdViewJSON{}, "Person": personJSON{}, "Membership": membershipJSON{}, "PersonView": personViewJSON{},
	"SearchHit": searchHitJSON{}, "SearchResults": searchResultsJSON{}, "DuplicatePair": duplicatePairJSON{},
	"Duplicates": duplicatesJSON{}, "Counts": countsJSON{}, "RowChange": rowChangeJSON{}, "LedgerReport": ledgerReportOut{},
	"Import": importJSON{}, "ImportList": importListJSON{}, "Step": stepJSON{}, "Clue": clueJSON{}, "ClueList": clueListJSON{},
	"Verification": verificationJSON{}, "WorkEvent": workEventJSON{}, "ClueView": clueViewJSON{},
	"VerifyResult": verifyResultJSON{}, "WorkItem": workItemJSON{}, "WorkList": workListJSON{}, "Case": caseJSON{},
	"CaseList": caseListJSON{}, "CaseMeasure": measureJSON{}, "Followup": followupOutJSON{}, "CaseView": caseViewJSON{},
	"Notification": notificationJSON{}, "Inbox": inboxJSON{}, "Durations": durationsJSON{}, "PeriodFigures": periodJSON{},
	"PlaceFigures": placeFiguresJSON{}, "Figures": figuresJSON{}, "StepLimits": safetynet.StepLimits{},
	"TimeLimits": safetynet.TimeLimits{}, "MeasureCatalogueEntry": measureCatalogueJSON{},
	"MeasureCatalogue": measureCatalogueListJSON{},
	"RuleCheck":        ruleCheckJSON{}, "RuleIssue": ruleIssueJSON{}, "Rule": ruleJSON{}, "RuleList": ruleListJSON{},
	"RuleExample": exampleJSON{}, "RuleExampleHousehold": householdEx{}, "RuleExampleMember": memberEx{},
	"RulePreview": rulePreviewJSON{}, "RulePreviewLine": rulePreviewLineJSON{}, "Param": paramJSON{}, "ParamList": paramListJSON{}, "ScreeningLine": screeningLineJSON{},
	"MonitoringProcess": monitoringProcessJSON{}, "MonitoringProcessList": monitoringProcessListJSON{}, "MonitoringRecord": monitoringRecordJSON{},
	"MonitoredHousehold": monitoredHouseholdJSON{}, "MonitoredHouseholdList": monitoredHouseholdListJSON{}, "MonitoringReason": monitoringReasonJSON{},
	"MonitoringSettings": monitoringSettingsJSON{},
	"Certification":      certificationJSON{}, "CertificationList": certificationListJSON{}, "CertificationRecord": certificationRecordJSON{},
	"CertificationReview": certificationReviewJSON{}, "CertificationDetail": certificationDetailJSON{},
	"CertificationRecorded": certificationRecordedJSON{}, "CertificationSetting": certificationSettingJSON{},
	"CertificationSettings": certificationSettingsJSON{}, "CertificationCounts": certCountsJSON{},
	"CertificationPlaceFigures": certPlaceFiguresJSON{}, "CertificationFigures": certFiguresJSON{},
	"VerifyRecord": verifyRecordJSON{}, "VerifyRecordList": verifyRecordListJSON{}, "VerifyFlag": verifyFlagJSON{},
	"VerifyEvidence": verifyEvidenceJSON{}, "VerifyReview": verifyReviewJSON{}, "VerifyRecordDetail": verifyRecordDetailJSON{},
	"VerifySample": verifySampleJSON{}, "VerifySampleList": verifySampleListJSON{}, "SettlementLine": settlementLineJSON{},
	"SettlementWorker": settlementWorkerJSON{}, "SettlementItem": settlementItemJSON{}, "SettlementAdjustment": settlementAdjustmentJSON{},
	"SettlementBudget": settlementBudgetJSON{}, "Settlement": settlementJSON{}, "SettlementSummary": settlementSummaryJSON{},
	"SettlementList": settlementListJSON{}, "AdjustmentCreated": adjustmentCreatedJSON{}, "ServiceCounts": serviceCountsJSON{},
	"ServicePlaceFigures": servicePlaceFiguresJSON{}, "ServiceGroupFigures": serviceGroupFiguresJSON{}, "ServiceFigures": serviceFiguresJSON{},
	"ScreeningLineList": screeningListJSON{}, "StartedApplication": startedJSON{}, "OutreachTask": outreachTaskJSON{},
	"OutreachTaskList": outreachListJSON{}, "OutreachCount": outreachCountJSON{}, "OutreachCounts": outreachCountsJSON{},
	"Colour": colourJSON{}, "ColourChange": colourChangeJSON{}, "HouseholdColour": householdColourJSON{},
	"ColourCounts": colourCountsJSON{}, "ColourRuleVersion": colourRuleVersionJSON{}, "ColourRules": colourRulesJSON{},
	"ColourPreview": colourPreviewJSON{},
	"WarningRule":   warningRuleJSON{}, "WarningRuleList": warningRuleListJSON{}, "WarningExample": warningExampleJSON{},
	"FeedBatch": feedBatchJSON{}, "FeedRow": feedRowJSON{}, "FeedPushResult": feedPushJSON{}, "FeedBatchList": feedBatchListJSON{},
	"FeedBatchDetail": feedBatchDetailJSON{}, "UserDepartment": userDepartmentJSON{},
	"WarningAmount": warningAmountJSON{}, "Warning": warningJSON{}, "WarningList": warningListJSON{},
	"VisitPlan": visitPlanJSON{}, "VisitFrequency": visits.Frequency{}, "VisitWithin": visits.Within{},
	"KeyFamily": sqlstore.KeyFamily{}, "KeyFamilyList": keyFamilyListJSON{}, "VisitPair": sqlstore.VisitPair{},
	"VisitPairList": visitPairListJSON{}, "DayItem": dayItemJSON{}, "DaySection": daySectionJSON{}, "Day": dayJSON{},
	"VisitRecord": visitOutJSON{}, "CoverageFigures": sqlstore.CoverageFigures{}, "CoverageRow": sqlstore.CoverageRow{},
	"WaitingHousehold": sqlstore.Waiting{}, "Coverage": sqlstore.Coverage{},
	"ServiceOrg": sqlstore.ServiceOrg{}, "ServiceOrgList": serviceOrgListJSON{}, "ServiceContract": sqlstore.ServiceContract{},
	"ServiceCoverage": sqlstore.ServiceCoverage{}, "ServiceWorker": sqlstore.ServiceWorker{}, "ServicePrice": services.Price{},
	"ServicePlan": sqlstore.ServicePlan{}, "ServicePlanList": servicePlanListJSON{}, "ServiceTeamMember": sqlstore.TeamMember{},
	"ServiceTeam": serviceTeamJSON{}, "ServiceCode": serviceCodeJSON{}, "ServiceDue": sqlstore.ServiceDue{}, "ServiceDay": sqlstore.ServiceDay{}, "ServiceHousehold": sqlstore.ServiceHousehold{},
	"ServiceLocation": services.Location{}, "ServiceEvidence": sqlstore.ServiceEvidence{}, "ServiceRecord": sqlstore.ServiceRecord{},
	"ServiceRecordOut": serviceRecordOutJSON{}, "ServiceRecordList": serviceRecordListJSON{},
}

// TestResponseTypesMatchSchemas compares every response type with its
// schema, including fields the API tests may never see filled: each JSON
// field is declared with its type, a field always written (no omitempty)
// is required and one that may be left out is not, a pointer always
// written is nullable, and the schema declares nothing the type lacks.
func TestResponseTypesMatchSchemas(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPI)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range responseTypes {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			t.Errorf("%T: no schema %s in openapi.yaml", v, name)
			continue
		}
		for _, p := range typeProblems(reflect.TypeOf(v), ref.Value) {
			t.Errorf("%s (%T): %s", name, v, p)
		}
	}
	// Every object schema used by a response has its type here.
	used := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					collectRefs(mt.Schema, used)
				}
			}
		}
	}
	for name := range used {
		// A map (an object of additionalProperties only) has no fields to pair.
		if v := doc.Components.Schemas[name].Value; !v.Type.Is("object") || len(v.Properties) == 0 && v.AdditionalProperties.Schema != nil {
			continue
		}
		if _, ok := responseTypes[name]; !ok {
			t.Errorf("schema %s is used by a response but no Go type is paired with it in responseTypes", name)
		}
	}
}

// TestTypeProblemsFindsMismatches shows the comparison failing on a type
// that adds a field, drops a required one, loses omitempty or changes a
// field's type.
func TestTypeProblemsFindsMismatches(t *testing.T) {
	schema := openapi3.NewObjectSchema().WithProperties(map[string]*openapi3.Schema{
		"id": openapi3.NewIntegerSchema(), "name": openapi3.NewStringSchema(), "note": openapi3.NewStringSchema(),
	})
	schema.Required = []string{"id", "name"}
	type good struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		Note string `json:"note,omitempty"`
	}
	if p := typeProblems(reflect.TypeOf(good{}), schema); len(p) != 0 {
		t.Fatalf("a matching type: %v", p)
	}
	for _, c := range []struct {
		typ  any
		want string
	}{
		{struct {
			good
			Secret string `json:"secret"`
		}{}, `"secret" is not declared`},
		{struct {
			ID   int64  `json:"id"`
			Note string `json:"note,omitempty"`
		}{}, `declares "name"`},
		{struct {
			ID   int64  `json:"id"`
			Name string `json:"name,omitempty"`
			Note string `json:"note,omitempty"`
		}{}, `"name" may be left out`},
		{struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			Note string `json:"note,omitempty"`
		}{}, `"id" is string`},
		{struct {
			ID   int64      `json:"id"`
			Name string     `json:"name"`
			Note *time.Time `json:"note"`
		}{}, `"note" is always written`},
	} {
		got := strings.Join(typeProblems(reflect.TypeOf(c.typ), schema), "; ")
		if !strings.Contains(got, c.want) {
			t.Errorf("%T: problems %q, want one with %q", c.typ, got, c.want)
		}
	}
}

// jsonField is a field as encoding/json writes it.
type jsonField struct {
	name      string
	typ       reflect.Type
	omitEmpty bool
}

// jsonFields lists the fields encoding/json writes for a struct type,
// embedded structs flattened.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type, omitEmpty: strings.Contains(","+opts+",", ",omitempty,")})
	}
	return out
}

var (
	timeType       = reflect.TypeOf(time.Time{})
	rawMessageType = reflect.TypeOf(json.RawMessage{})
	textMarshaler  = reflect.TypeOf((*interface{ MarshalText() ([]byte, error) })(nil)).Elem()
)

// schemaType is the JSON Schema type encoding/json gives a Go type.
func schemaType(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType, t.Implements(textMarshaler):
		return "string"
	case t == rawMessageType:
		return "object"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16,
		reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}

// typeProblems compares a struct type with an object schema.
func typeProblems(t reflect.Type, s *openapi3.Schema) []string {
	var out []string
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	written := map[string]bool{}
	for _, f := range jsonFields(t) {
		written[f.name] = true
		p := s.Properties[f.name]
		if p == nil {
			out = append(out, "field "+quote(f.name)+" is not declared in the schema")
			continue
		}
		if want := schemaType(f.typ); !p.Value.Type.Is(want) {
			out = append(out, "field "+quote(f.name)+" is "+want+", the schema says "+strings.Join(p.Value.Type.Slice(), "|"))
		}
		switch {
		case f.omitEmpty && required[f.name]:
			out = append(out, "field "+quote(f.name)+" may be left out (omitempty) but the schema requires it")
		case !f.omitEmpty && !required[f.name]:
			out = append(out, "field "+quote(f.name)+" is always written but the schema does not require it")
		}
		if !f.omitEmpty && (f.typ.Kind() == reflect.Pointer || f.typ == rawMessageType) && !p.Value.Nullable {
			out = append(out, "field "+quote(f.name)+" is always written and may be null, but the schema is not nullable")
		}
	}
	var extra []string
	for name := range s.Properties {
		if !written[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		out = append(out, "the schema declares "+quote(name)+", which the type never writes")
	}
	return out
}

func quote(s string) string { return `"` + s + `"` }

// collectRefs adds the component names a schema refers to, transitively.
func collectRefs(ref *openapi3.SchemaRef, into map[string]bool) {
	if ref == nil || ref.Value == nil {
		return
	}
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
		if into[name] {
			return
		}
		into[name] = true
	}
	for _, p := range ref.Value.Properties {
		collectRefs(p, into)
	}
	collectRefs(ref.Value.Items, into)
	collectRefs(ref.Value.AdditionalProperties.Schema, into)
}
