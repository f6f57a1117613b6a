package httpserver

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
)

// formValues reads a form into the pointer fields of patches: a field in
// the form sets the value (even empty), a missing field keeps it. Secret
// fields (ID and phone numbers) shown masked keep their value when left
// empty.
type formValues struct{ r *http.Request }

func (f formValues) str(name string) *string {
	if !f.r.PostForm.Has(name) {
		return nil
	}
	v := strings.TrimSpace(f.r.PostForm.Get(name))
	return &v
}

func (f formValues) secret(name string) *string {
	v := f.str(name)
	if v == nil || *v == "" {
		return nil
	}
	return v
}

func (f formValues) integer(name string) (*int, error) {
	v := f.str(name)
	if v == nil {
		return nil, nil
	}
	if *v == "" {
		zero := 0
		return &zero, nil
	}
	n, err := strconv.Atoi(*v)
	if err != nil {
		return nil, safetynet.Invalid(name, "请填写数字", "%s must be a number", name)
	}
	return &n, nil
}

func (f formValues) date(name string) (*time.Time, error) {
	v := f.str(name)
	if v == nil || *v == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", *v)
	if err != nil {
		return nil, safetynet.Invalid(name, "日期格式应为 2006-01-02", "%s must be a date like 2006-01-02", name)
	}
	return &t, nil
}

func (f formValues) householdPatch() (safetynet.HouseholdPatch, error) {
	p := safetynet.HouseholdPatch{Number: f.str("number"), PlaceCode: f.str("place_code"), Address: f.str("address"),
		Phone: f.secret("phone"), Housing: f.str("housing"), Water: f.str("water"), Notes: f.str("notes")}
	var err error
	if p.IncomeYear, err = f.integer("income_year"); err != nil {
		return p, err
	}
	if v := f.str("income"); v != nil {
		fen, err := safetynet.ParseYuan(*v)
		if err != nil {
			return p, err
		}
		p.IncomeFen = &fen
	}
	return p, nil
}

func (f formValues) personPatch(prefix string) (safetynet.PersonPatch, error) {
	p := safetynet.PersonPatch{Name: f.str(prefix + "name"), IDNumber: f.secret(prefix + "id_number"), Sex: f.str(prefix + "sex"),
		Relation: f.str(prefix + "relation"), Phone: f.secret(prefix + "phone"), DisabilityKind: f.str(prefix + "disability_kind"),
		Health: f.str(prefix + "health"), HealthNotes: f.str(prefix + "health_notes"), Education: f.str(prefix + "education"),
		Labour: f.str(prefix + "labour"), Work: f.str(prefix + "work")}
	var err error
	if p.DisabilityGrade, err = f.integer(prefix + "disability_grade"); err != nil {
		return p, err
	}
	if p.Birth, err = f.date(prefix + "birth"); err != nil {
		return p, err
	}
	if f.r.PostForm.Has(prefix + "form") { // a checkbox is absent when unticked
		in := f.r.PostForm.Get(prefix+"in_school") == "1"
		p.InSchool = &in
	}
	return p, nil
}

// parseForm parses a posted form with a clear error. Every web form goes
// through it, so a value holding a NUL character is refused here, naming
// its field, for all of them.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return safetynet.Invalid("", "表单无效", "the form is invalid")
	}
	return checkFormText(r.Form)
}

// parseMultipartForm is parseForm for forms carrying a file; a form that
// is not multipart is read as a plain one.
func parseMultipartForm(r *http.Request, maxMemory int64) error {
	err := r.ParseMultipartForm(maxMemory)
	if err != nil && err != http.ErrNotMultipart {
		return err
	}
	if r.MultipartForm != nil {
		if err := checkFormText(r.MultipartForm.Value); err != nil {
			return err
		}
		for field, files := range r.MultipartForm.File {
			for _, fh := range files {
				if strings.IndexByte(fh.Filename, 0) >= 0 {
					return errNUL(field)
				}
				// A browser may send a GBK file name: keep what can be read.
				fh.Filename = strings.ToValidUTF8(fh.Filename, "\uFFFD")
			}
		}
	}
	return checkFormText(r.Form)
}

// formID reads a positive integer form field.
func formID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get(name)), 10, 64)
	if err != nil || n <= 0 {
		return 0, safetynet.Invalid(name, "请填写有效的编号", "%s must be a record number", name)
	}
	return n, nil
}

// formVersion reads the version a form changing a versioned record must
// carry (a hidden field); see requireVersion.
func formVersion(r *http.Request) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("version")))
	if err != nil {
		return 0, errVersionRequired
	}
	return n, requireVersion(n)
}
