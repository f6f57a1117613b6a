package httpserver

import (
	"fmt"
	"net/http"

	"safetynet"
	"safetynet/access"
)

// departmentForm is the department section of a department account's
// user page.
type departmentForm struct {
	Shown   bool
	CanEdit bool
	Code    string
	Name    string
	Options []deptOption
}

func (s *Server) departmentForm(r *http.Request, rc *reqCtx, u safetynet.User) (departmentForm, error) {
	if u.Role != safetynet.RoleDepartment {
		return departmentForm{}, nil
	}
	code, err := s.store.UserDepartment(r.Context(), rc.actor, u.ID)
	if err != nil {
		return departmentForm{}, err
	}
	f := departmentForm{Shown: true, CanEdit: rc.actor.Can(access.UserManage), Code: code,
		Name: safetynet.Departments.Label(code, rc.lang)}
	if f.CanEdit {
		f.Options = s.deptOptions(rc.lang)
	}
	return f, nil
}

// webSetUserDepartment saves a department account's department.
func (s *Server) webSetUserDepartment(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.SetUserDepartment(r.Context(), rc.actor, id, r.PostForm.Get("department")); err != nil {
		return err
	}
	s.flashRedirect(w, r, fmt.Sprintf("/users/%d", id), "flash.department_saved")
	return nil
}

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "feed.push", ZH: "推送部门数据", EN: "department data pushed"},
		safetynet.Option{Code: "feed.upload", ZH: "上传部门数据文件", EN: "department file uploaded"},
		safetynet.Option{Code: "user.department", ZH: "设置账号所属部门", EN: "account's department set"})
	auditObjects["feed_batch"] = struct{ zh, en, path string }{"部门数据批次", "department batch", "/feeds/batches/"}
	auditObjects["feed_upload"] = struct{ zh, en, path string }{"部门数据文件", "department file", "/feeds/uploads/"}
	detailKeys["department"] = [2]string{"部门", "department"}
	detailKeys["batch_key"] = [2]string{"批次号", "batch id"}
	detailKeys["matched"] = [2]string{"已匹配台账", "in the register"}
	detailKeys["unregistered"] = [2]string{"台账外人员", "outside the register"}
	detailKeys["rejected"] = [2]string{"被拒绝", "rejected"}
	if _, ok := detailKeys["field"]; !ok { // what a reveal showed (the demo's 医保 batch reveals the persons it is about)
		detailKeys["field"] = [2]string{"查看的项目", "field"}
	}
}
