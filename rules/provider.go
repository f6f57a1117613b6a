package rules

import (
	"fmt"
	"reflect"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// The CEL object types of the schema.
var (
	householdType = types.NewObjectType("rules.Household", traits.FieldTesterType|traits.IndexerType)
	memberType    = types.NewObjectType("rules.Member", traits.FieldTesterType|traits.IndexerType)
	paramsType    = types.NewObjectType("rules.Params", traits.FieldTesterType|traits.IndexerType)
)

// MissingError is the value of a field or parameter that is not recorded.
// It travels through a rule like SQL's NULL (see the package doc).
type MissingError struct {
	Field string // income_per_capita, age…, or the parameter's name
	Param bool
	ZH    string // the label
	EN    string
}

func (e *MissingError) Error() string {
	if e.Param {
		return fmt.Sprintf("parameter %s (%s) has no value", e.Field, e.EN)
	}
	return fmt.Sprintf("%s (%s) not recorded", e.Field, e.EN)
}

// object is a household, member or parameter set seen by CEL.
type object struct {
	t *types.Type
	v any // *Household, *Member or *paramValues
}

func (o *object) ConvertToNative(typeDesc reflect.Type) (any, error) {
	if reflect.TypeOf(o.v).AssignableTo(typeDesc) {
		return o.v, nil
	}
	return nil, fmt.Errorf("rules: cannot convert %s to %v", o.t.TypeName(), typeDesc)
}

func (o *object) ConvertToType(typeVal ref.Type) ref.Val {
	if typeVal.TypeName() == o.t.TypeName() {
		return o
	}
	if typeVal == types.TypeType {
		return o.t
	}
	return types.NewErr("type conversion error from '%s' to '%s'", o.t.TypeName(), typeVal.TypeName())
}

func (o *object) Equal(other ref.Val) ref.Val {
	p, ok := other.(*object)
	return types.Bool(ok && p.v == o.v)
}

func (o *object) Type() ref.Type { return o.t }
func (o *object) Value() any     { return o.v }

// IsSet implements traits.FieldTester for dynamic access.
func (o *object) IsSet(field ref.Val) ref.Val {
	name, ok := field.(types.String)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	ft, found := o.p().fieldType(o.t.TypeName(), string(name))
	if !found {
		return types.NewErr("no such field '%s'", name)
	}
	return types.Bool(ft.IsSet(o.v))
}

// Get implements traits.Indexer for dynamic access.
func (o *object) Get(field ref.Val) ref.Val {
	name, ok := field.(types.String)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	ft, found := o.p().fieldType(o.t.TypeName(), string(name))
	if !found {
		return types.NewErr("no such field '%s'", name)
	}
	v, err := ft.GetFrom(o.v)
	if err != nil {
		return types.WrapErr(err)
	}
	return v.(ref.Val)
}

func (o *object) p() *provider {
	if pv, ok := o.v.(*paramValues); ok {
		return pv.prov
	}
	return staticProvider
}

// paramValues are the parameter values of one evaluation.
type paramValues struct {
	prov *provider
	vals Params
}

// staticProvider answers household and member fields for dynamic access.
var staticProvider = &provider{}

// provider declares the schema's object types to CEL and reads their
// fields without reflection. Other types go to the embedded registry.
type provider struct {
	*types.Registry
	params map[string]Param
}

func (p *provider) FindStructType(name string) (*types.Type, bool) {
	switch name {
	case householdType.TypeName():
		return types.NewTypeTypeWithParam(householdType), true
	case memberType.TypeName():
		return types.NewTypeTypeWithParam(memberType), true
	case paramsType.TypeName():
		return types.NewTypeTypeWithParam(paramsType), true
	}
	return p.Registry.FindStructType(name)
}

func (p *provider) FindStructFieldNames(name string) ([]string, bool) {
	var out []string
	switch name {
	case householdType.TypeName():
		for _, f := range householdFields {
			out = append(out, f.Name)
		}
	case memberType.TypeName():
		for _, f := range memberFields {
			out = append(out, f.Name)
		}
	case paramsType.TypeName():
		for n := range p.params {
			out = append(out, n)
		}
	default:
		return p.Registry.FindStructFieldNames(name)
	}
	return out, true
}

func (p *provider) FindStructFieldType(structType, fieldName string) (*types.FieldType, bool) {
	if ft, ok := p.fieldType(structType, fieldName); ok {
		return ft, true
	}
	switch structType {
	case householdType.TypeName(), memberType.TypeName(), paramsType.TypeName():
		return nil, false
	}
	return p.Registry.FindStructFieldType(structType, fieldName)
}

// fieldType describes a field of the schema's types to CEL.
func (p *provider) fieldType(structType, name string) (*types.FieldType, bool) {
	switch structType {
	case householdType.TypeName():
		f, ok := hFieldByName[name]
		if !ok {
			return nil, false
		}
		return &types.FieldType{
			Type: celType(f.Field),
			IsSet: func(t any) bool {
				_, ok := f.get(t.(*Household))
				return ok
			},
			GetFrom: func(t any) (any, error) {
				v, ok := f.get(t.(*Household))
				if !ok {
					return nil, &MissingError{Field: f.Name, ZH: f.ZH, EN: f.EN}
				}
				return v, nil
			},
		}, true
	case memberType.TypeName():
		f, ok := mFieldByName[name]
		if !ok {
			return nil, false
		}
		return &types.FieldType{
			Type: celType(f.Field),
			IsSet: func(t any) bool {
				_, ok := f.get(t.(*Member))
				return ok
			},
			GetFrom: func(t any) (any, error) {
				v, ok := f.get(t.(*Member))
				if !ok {
					return nil, &MissingError{Field: f.Name, ZH: f.ZH, EN: f.EN}
				}
				return v, nil
			},
		}, true
	case paramsType.TypeName():
		if p == nil || p.params == nil {
			return nil, false
		}
		d, ok := p.params[name]
		if !ok {
			return nil, false
		}
		return &types.FieldType{
			Type: celType(Field{Type: d.Type}),
			IsSet: func(t any) bool {
				_, ok := t.(*paramValues).vals[name]
				return ok
			},
			GetFrom: func(t any) (any, error) {
				v, ok := t.(*paramValues).vals[name]
				if !ok {
					return nil, &MissingError{Field: name, Param: true, ZH: d.ZH, EN: d.EN}
				}
				return paramVal(d, v)
			},
		}, true
	}
	return nil, false
}

func celType(f Field) *types.Type {
	switch f.Type {
	case TypeNumber:
		return types.DoubleType
	case TypeInteger:
		return types.IntType
	case TypeText:
		return types.StringType
	case TypeBool:
		return types.BoolType
	case TypeList:
		if f.Elem == "member" {
			return types.NewListType(memberType)
		}
		return types.NewListType(types.StringType)
	}
	return types.DynType
}
