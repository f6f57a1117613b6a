package safetynet

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Role says what a user does; permissions follow from it (see package access).
type Role string

// Roles. Their strings are used on the command line and in the API.
const (
	RoleGridWorker    Role = "grid_worker"    // 网格员
	RoleVillageStaff  Role = "village_staff"  // 村/社区工作人员, 民政专干
	RoleTownOfficer   Role = "town_officer"   // 乡镇/街道
	RoleCountyOfficer Role = "county_officer" // 区县民政
	RoleDepartment    Role = "department"     // machine account of another department
	RoleSocialWorker  Role = "social_worker"  // 社工
	RoleVolunteer     Role = "volunteer"      // 志愿者
	RoleInspector     Role = "inspector"      // 督查, read-only
	RoleAdmin         Role = "admin"          // 系统管理员
)

// Roles lists every role.
var Roles = []Role{RoleGridWorker, RoleVillageStaff, RoleTownOfficer, RoleCountyOfficer,
	RoleDepartment, RoleSocialWorker, RoleVolunteer, RoleInspector, RoleAdmin}

var roleNames = map[Role][2]string{
	RoleGridWorker:    {"网格员", "grid worker"},
	RoleVillageStaff:  {"村(社区)工作人员", "village staff"},
	RoleTownOfficer:   {"乡镇(街道)干部", "town officer"},
	RoleCountyOfficer: {"县(区)民政干部", "county officer"},
	RoleDepartment:    {"部门系统", "department system"},
	RoleSocialWorker:  {"社工", "social worker"},
	RoleVolunteer:     {"志愿者", "volunteer"},
	RoleInspector:     {"督查人员", "inspector"},
	RoleAdmin:         {"系统管理员", "administrator"},
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// Label returns the role's name in lang.
func (r Role) Label(lang string) string {
	n, ok := roleNames[r]
	if !ok {
		return string(r)
	}
	if lang == "zh" {
		return n[0]
	}
	return n[1]
}

// roleLevels says at which levels a role's place may be; roles not listed
// may be placed anywhere.
var roleLevels = map[Role][]Level{
	RoleGridWorker:    {LevelGrid, LevelGroup},
	RoleVillageStaff:  {LevelVillage},
	RoleTownOfficer:   {LevelTown},
	RoleCountyOfficer: {LevelCounty, LevelPrefecture, LevelProvince},
}

// CheckRolePlace verifies that a user of role r may be placed at level l.
func CheckRolePlace(r Role, l Level) error {
	allowed, ok := roleLevels[r]
	if !ok {
		return nil
	}
	var names []string
	for _, a := range allowed {
		if a == l {
			return nil
		}
		names = append(names, a.Label("zh"))
	}
	var en []string
	for _, a := range allowed {
		en = append(en, string(a))
	}
	return Text(EInvalid, "place_code",
		fmt.Sprintf("%s只能分配到以下级别的地点：%s", r.Label("zh"), strings.Join(names, "、")),
		fmt.Sprintf("a %s must be placed at a %s", r.Label("en"), strings.Join(en, " or ")))
}

// User is a person or machine that logs in.
type User struct {
	ID                 int64
	Username           string
	DisplayName        string
	Role               Role
	PlaceCode          string // the root of the user's scope
	PlaceName          string // filled by reads
	Disabled           bool
	MustChangePassword bool
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
	LastLoginAt        time.Time // zero if never
}

// NewUser is what an administrator supplies to create a user.
type NewUser struct {
	Username    string
	DisplayName string
	Role        Role
	PlaceCode   string
	Password    string
	// MustChangePassword makes the user choose a new password at first login.
	MustChangePassword bool
}

// UserFilter selects users. Zero fields do not filter.
type UserFilter struct {
	Query           string // part of the username or display name
	Role            Role
	PlaceCode       string // users placed in this place's subtree
	IncludeDisabled bool
	Limit, Offset   int
}

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	DisplayName *string
	Role        *Role
	PlaceCode   *string
	Disabled    *bool
	Version     int // the version the caller saw
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// CheckPassword validates a new password.
func CheckPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLen {
		return Invalid("password", "密码至少需要%d个字符", "password must be at least %d characters", MinPasswordLen)
	}
	if len(p) > 256 {
		return Invalid("password", "密码过长", "password is too long")
	}
	return nil
}

// NormalizeUsername lower-cases and trims a username and validates it:
// 3 to 32 characters of ASCII letters, digits, '.', '_' and '-'.
func NormalizeUsername(u string) (string, error) {
	u = strings.ToLower(strings.TrimSpace(u))
	if len(u) < 3 || len(u) > 32 {
		return "", Invalid("username", "用户名需要3到32个字符", "username must be 3 to 32 characters")
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return "", Invalid("username", "用户名只能包含字母、数字、“.”、“_”和“-”", "username may hold only letters, digits, '.', '_' and '-'")
		}
	}
	return u, nil
}

// CheckDisplayName validates a display name and returns it trimmed.
func CheckDisplayName(n string) (string, error) {
	n = strings.TrimSpace(n)
	if utf8.RuneCountInString(n) > 64 {
		return "", Invalid("display_name", "姓名不能超过64个字", "display name must be at most 64 characters")
	}
	if strings.ContainsAny(n, "\r\n\t") {
		return "", Invalid("display_name", "姓名不能包含换行或制表符", "display name must not contain line breaks or tabs")
	}
	return n, nil
}
