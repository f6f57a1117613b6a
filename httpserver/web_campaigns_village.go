package httpserver

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// campVillagePage is a village's tasks in a campaign: the stages with
// their dates and the village's status, the register stage's link, and
// the activities of the carry-out stage with the form recording one.
type campVillagePage struct {
	C          campaigns.Campaign
	Village    sqlstore.CampaignVillage
	Stages     []sqlstore.VillageStage
	Activities []campaigns.Activity
	Records    bool // the viewer records for this village
	Form       map[string]string
	Today      string
}

func (s *Server) campVillage(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	code := r.PathValue("villageCode")
	c, v, stages, err := s.store.CampaignVillageStages(r.Context(), rc.actor, id, code)
	if err != nil {
		return err
	}
	acts, err := s.store.CampaignActivities(r.Context(), rc.actor, id, code)
	if err != nil {
		return err
	}
	today := campaigns.Today(s.store.Now())
	d := campVillagePage{C: c, Village: v, Stages: stages, Activities: acts, Form: form, Today: today}
	d.Records = c.Status == campaigns.StatusRunning && rc.actor.Can(access.CampaignWork) &&
		(rc.actor.Place == code || strings.HasPrefix(rc.actor.Place, code) || rc.actor.Role == safetynet.RoleAdmin)
	if d.Form == nil {
		d.Form = map[string]string{"client_id": newClientID(), "held_on": today}
	}
	return s.render(w, r, rc, http.StatusOK, "campaign_village", "camp.village_tasks", d, formErr)
}

func (s *Server) webCampaignVillage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.campVillage(w, r, rc, nil, nil)
}

// splitNames splits the names typed for an activity's persons.
func splitNames(s string) []string {
	var out []string
	for _, n := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' || r == '\r'
	}) {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// webCampaignActivity records an activity posted by the village's form
// (multipart, with an optional photo the page has scaled down).
func (s *Server) webCampaignActivity(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	code := r.PathValue("villageCode")
	if err := parseMultipartForm(r, 8<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return err
		}
		return safetynet.Invalid("photo", "照片过大或表单无效", "the photo is too large or the form is invalid")
	}
	f := r.Form
	form := map[string]string{}
	for _, k := range []string{"client_id", "item_id", "title", "held_on", "venue", "participants", "persons", "note"} {
		form[k] = strings.TrimSpace(f.Get(k))
	}
	err = func() error {
		act := campaigns.Activity{ClientID: form["client_id"], CampaignID: id, VillageCode: code, Title: form["title"], HeldOn: form["held_on"],
			Venue: form["venue"], Note: form["note"]}
		act.ItemID, _ = strconv.ParseInt(form["item_id"], 10, 64)
		if form["participants"] != "" {
			n, err := strconv.Atoi(form["participants"])
			if err != nil {
				return safetynet.Invalid("participants", "参与人次请填整数", "participants must be a whole number")
			}
			act.Participants = n
		}
		if names := splitNames(form["persons"]); len(names) > 0 {
			ids, err := s.store.CampaignPersonsByName(r.Context(), rc.actor, id, code, names)
			if err != nil {
				return err
			}
			act.PersonIDs = ids
		}
		if file, _, err := r.FormFile("photo"); err == nil {
			act.Photo, _ = io.ReadAll(io.LimitReader(file, safetynet.MaxPhoto+1))
			file.Close()
		}
		_, _, err := s.store.RecordCampaignActivity(r.Context(), rc.actor, act)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.campVillage(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/campaigns/%d/villages/%s#activities", id, code), "camp.activity_saved")
	return nil
}

// campaignActivityPhoto serves an activity's photo to those who see it.
func (s *Server) campaignActivityPhoto(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "activityID")
	if err != nil {
		return err
	}
	b, err := s.store.CampaignActivityPhoto(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", http.DetectContentType(b))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(b)
	return err
}
