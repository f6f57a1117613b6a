package rules

import (
	"fmt"
	"math"
	"regexp"

	"cel.dev/cel-go/common/types"
)

// Param declares a named value rules read as params.NAME, such as the
// dibao line of a county and year. Values are edited without touching
// rules; a rule referencing an undeclared parameter does not compile.
type Param struct {
	Name   string // dibao_line
	ZH, EN string // 低保标准, dibao line
	Type   Type   // TypeNumber, TypeInteger or TypeText
	Unit   string // 元/年, 岁…, shown after values
}

// Params are the values of the parameters for one evaluation (one county
// and year): float64 for numbers, int or int64 for integers, string for
// text. A declared parameter without a value makes a rule that reads it
// fail with an error for every household (never a match).
type Params map[string]any

// DefaultParams are the parameters every deployment has.
var DefaultParams = []Param{
	{Name: "dibao_line", ZH: "低保线", EN: "dibao line", Type: TypeNumber, Unit: "元/年"},
	{Name: "tekun_line", ZH: "特困供养标准", EN: "extreme-poverty support line", Type: TypeNumber, Unit: "元/年"},
	{Name: "monitoring_line", ZH: "监测线", EN: "monitoring line", Type: TypeNumber, Unit: "元/年"},
	{Name: "elderly_age", ZH: "老年人年龄", EN: "elderly age", Type: TypeInteger, Unit: "岁"},
	// The warning rules' thresholds (EventParams).
	{Name: "medical_oop_ordinary", ZH: "普通农户阈值", EN: "ordinary household threshold", Type: TypeNumber, Unit: "元"},
	{Name: "medical_oop_monitored", ZH: "脱贫户及监测对象阈值", EN: "formerly poor and monitored threshold", Type: TypeNumber, Unit: "元"},
}

var paramName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// CheckParamDecl validates a parameter declaration.
func CheckParamDecl(p Param) error {
	if !paramName.MatchString(p.Name) {
		return &FieldError{Field: "name", ZH: "参数名须以小写字母开头，只含小写字母、数字和下划线", EN: "a parameter name starts with a lower-case letter and holds only a-z, 0-9 and _"}
	}
	if p.ZH == "" {
		return &FieldError{Field: "zh", ZH: "请填写参数的中文名称", EN: "the parameter needs a Chinese label"}
	}
	switch p.Type {
	case TypeNumber, TypeInteger, TypeText:
	default:
		return &FieldError{Field: "type", ZH: "参数类型应为 number、integer 或 text", EN: "a parameter type is number, integer or text"}
	}
	return nil
}

// FieldError is bad input naming its field, in Chinese and English.
type FieldError struct {
	Field  string
	ZH, EN string
}

// Error returns the field and the English message.
func (e *FieldError) Error() string { return e.Field + ": " + e.EN }

// CheckParamValue checks that v has the type parameter p declares.
func CheckParamValue(p Param, v any) error {
	if _, err := paramVal(p, v); err != nil {
		return &FieldError{Field: p.Name, ZH: fmt.Sprintf("参数%s的值类型不符：应为%s", p.ZH, typeZH(p.Type)), EN: err.Error()}
	}
	return nil
}

func typeZH(t Type) string {
	switch t {
	case TypeNumber:
		return "数字"
	case TypeInteger:
		return "整数"
	case TypeText:
		return "文本"
	case TypeBool:
		return "是/否"
	case TypeList:
		return "列表"
	}
	return string(t)
}

// paramVal converts a parameter value to CEL.
func paramVal(p Param, v any) (any, error) {
	switch p.Type {
	case TypeNumber:
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				break
			}
			return types.Double(x), nil
		case int:
			return types.Double(x), nil
		case int64:
			return types.Double(x), nil
		}
	case TypeInteger:
		switch x := v.(type) {
		case int:
			return types.Int(x), nil
		case int64:
			return types.Int(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return types.Int(int64(x)), nil
			}
		}
	case TypeText:
		if s, ok := v.(string); ok {
			return types.String(s), nil
		}
	}
	return nil, fmt.Errorf("parameter %s: %v (%T) is not of type %s", p.Name, v, v, p.Type)
}
