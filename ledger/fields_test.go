package ledger

import (
	"reflect"
	"slices"
	"testing"

	"safetynet"
)

func TestLookupHeader(t *testing.T) {
	tests := []struct {
		header string
		want   Field
	}{
		{"户编号", FieldHouseholdNumber},
		{"所属村组", FieldPlace},
		{"村民小组", FieldPlace},
		{"所属网格", FieldPlace},
		{"网格", FieldPlace},
		{"区划代码", FieldPlaceCode},
		{"详细地址", FieldAddress},
		{"户主姓名", FieldHeadName},
		{"户主身份证号码", FieldHeadID},
		{"家庭成员姓名", FieldName},
		{"公民身份号码", FieldIDNumber},
		{"身份证号码\n（必填）", FieldIDNumber},
		{" * 姓 名 ", FieldName},
		{"关系", FieldRelation},
		{"家庭人口数", FieldFamilySize},
		{"户人口（人）", FieldFamilySize},
		{"手机号", FieldPhone},
		{"户类别", FieldHouseholdCategory},
		{"返贫致贫风险类型", FieldRiskType},
		{"人均纯收入（元）", FieldIncome},
		{"家庭人均纯收入元", FieldIncome},
		{"年人均纯收入(元)", FieldIncome},
		{"出生年月", FieldBirth},
		{"在校生情况", FieldInSchool},
		{"就业情况", FieldWork},
		{"特殊人群", FieldPersonCategory},
		{"住房安全", FieldHousing},
		{"饮水情况", FieldWater},
		{"认定时间", FieldStartDate},
		{"ID number", FieldIDNumber},
		{"id_number", FieldIDNumber},
		{"Relation to head", FieldRelation},
		{"INCOME PER HEAD", FieldIncome},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			got, ok := lookupHeader(tc.header)
			if !ok || got != tc.want {
				t.Errorf("lookupHeader(%q) = %q, %v; want %q", tc.header, got, ok, tc.want)
			}
		})
	}
	for _, h := range []string{"", "序号", "残疾证号", "家庭成员情况", "XX村防返贫监测对象台账"} {
		t.Run("unknown "+h, func(t *testing.T) {
			if f, ok := lookupHeader(h); ok {
				t.Errorf("lookupHeader(%q) = %q; want none", h, f)
			}
		})
	}
}

func TestEveryLabelIsRecognised(t *testing.T) {
	for _, fi := range Fields {
		for _, lang := range []string{"zh", "en"} {
			if got, ok := lookupHeader(fi.Field.Label(lang)); !ok || got != fi.Field {
				t.Errorf("%s label %q is read as %q", lang, fi.Field.Label(lang), got)
			}
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   Mapping
	}{
		{"person ledger", []string{"序号", "户编号", "村组", "姓名", "身份证号", "与户主关系", "身份证号码"},
			Mapping{FieldHouseholdNumber: 1, FieldPlace: 2, FieldName: 3, FieldIDNumber: 4, FieldRelation: 5}},
		{"household ledger uses the head's columns", []string{"户主姓名", "户主身份证号", "所属村"},
			Mapping{FieldHeadName: 0, FieldHeadID: 1, FieldName: 0, FieldIDNumber: 1, FieldPlace: 2}},
		{"nothing", []string{"a", "b"}, Mapping{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect(tc.header); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Detect = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestMissing(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		opt    Options
		want   []Field
	}{
		{"complete", []string{"姓名", "身份证号", "村组"}, Options{}, nil},
		{"relation instead of ID", []string{"姓名", "与户主关系", "地区代码"}, Options{}, nil},
		{"no place", []string{"姓名", "身份证号"}, Options{}, []Field{FieldPlace}},
		{"default place", []string{"姓名", "身份证号"}, Options{DefaultPlace: "1"}, nil},
		{"nothing", []string{"备注"}, Options{}, []Field{FieldName, FieldPlace, FieldIDNumber}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect(tc.header).MissingWith(tc.opt); !slices.Equal(got, tc.want) {
				t.Errorf("Missing = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestParseMapping(t *testing.T) {
	header := []string{"姓名", "证件", "村", "备注"}
	tests := []struct {
		name    string
		values  map[string]string
		want    Mapping
		wantErr bool
	}{
		{"override", map[string]string{"id_number": "1", "place": "2"}, Mapping{FieldName: 0, FieldIDNumber: 1, FieldPlace: 2, FieldNotes: 3}, false},
		{"unset", map[string]string{"notes": ""}, Mapping{FieldName: 0}, false},
		{"unknown field", map[string]string{"shoe_size": "1"}, nil, true},
		{"column out of range", map[string]string{"place": "4"}, nil, true},
		{"not a number", map[string]string{"place": "C"}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMapping(tc.values, header)
			if tc.wantErr {
				if safetynet.CodeOf(err) != safetynet.EInvalid {
					t.Errorf("ParseMapping error = %v; want an invalid error", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseMapping = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}
