package metafake

import (
	"net/http"
	"strings"
)

// Profile is a customer's profile as the User Profile APIs show it to one
// account (developers.facebook.com/docs/messenger-platform/identity/user-profile
// and developers.facebook.com/docs/messenger-platform/instagram/features/user-profile).
type Profile struct {
	// Name is the full name; FirstName and LastName are Messenger's.
	// An Instagram name left empty is served as null, as Meta does for a
	// person who set none.
	Name, FirstName, LastName string
	// Username, Followers and Verified are Instagram's.
	Username  string
	Followers int64
	Verified  bool
	// PhoneOnly is a Messenger account made with a phone number, for
	// which Meta keeps no profile (error 2018218).
	PhoneOnly bool
	// Blocked is a person who blocks the account: Meta shows nothing.
	Blocked bool
}

// SetProfile gives a customer a profile, as one account sees them. Meta
// shows it only once the customer has written to the account (Message or
// Postback); before, Instagram answers code 230 and Messenger that no such
// object exists.
func (f *Fake) SetProfile(account, customer string, p Profile) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accountKind(account)
	if f.profiles == nil {
		f.profiles = map[pair]Profile{}
	}
	f.profiles[pair{account, customer}] = p
}

// ProfileLookups counts the profile requests the fake has answered,
// failed ones included.
func (f *Fake) ProfileLookups() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.profileLookups
}

// ConsentRequired is Instagram's answer for a person who has not messaged
// the account.
func ConsentRequired() Failure {
	return Failure{Status: http.StatusBadRequest, Code: 230, Type: "IGApiException",
		Message: "User consent is required to access user profile"}
}

// NoProfile is Messenger's answer for an account made with a phone number.
func NoProfile() Failure {
	return Failure{Status: http.StatusBadRequest, Code: 2018218, Type: "OAuthException",
		Message: "No profile available for this user."}
}

// getProfile is the User Profile API: GET /{psid-or-igsid}?fields=….
func (f *Fake) getProfile(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.profileLookups++
	f.mu.Unlock()
	acct, p, ok := f.begin(w, r)
	if !ok {
		return
	}
	defer f.mu.Unlock()
	id := r.PathValue("id")
	prof, known := f.profiles[pair{acct.id, id}]
	_, consented := f.windows[pair{acct.id, id}]
	switch {
	case !known || prof.Blocked:
		graphError(w, noObjectRead(id))
		return
	case !consented && acct.instagram:
		graphError(w, ConsentRequired())
		return
	case !consented:
		graphError(w, noObjectRead(id))
		return
	case prof.PhoneOnly && !acct.instagram:
		graphError(w, NoProfile())
		return
	}
	out := map[string]any{"id": id}
	fields := p.str("fields")
	if fields == "" {
		fields = "id,name"
	}
	for _, fl := range strings.Split(fields, ",") {
		switch fl = strings.TrimSpace(fl); {
		case fl == "id":
		case fl == "name":
			if prof.Name == "" {
				out[fl] = nil
			} else {
				out[fl] = prof.Name
			}
		case fl == "first_name" && !acct.instagram:
			out[fl] = prof.FirstName
		case fl == "last_name" && !acct.instagram:
			out[fl] = prof.LastName
		case fl == "profile_pic":
			out[fl] = "https://scontent.xx.fbcdn.net/v/profile-" + id + ".jpg"
		case fl == "username" && acct.instagram:
			out[fl] = prof.Username
		case fl == "follower_count" && acct.instagram:
			out[fl] = prof.Followers
		case fl == "is_verified_user" && acct.instagram:
			out[fl] = prof.Verified
		case fl == "is_user_follow_business" && acct.instagram, fl == "is_business_follow_user" && acct.instagram:
			out[fl] = false
		default:
			graphError(w, Failure{Status: http.StatusBadRequest, Code: 100, Type: "OAuthException",
				Message: "(#100) Tried accessing nonexisting field (" + fl + ")"})
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func noObjectRead(id string) Failure {
	fl := noObject(id)
	fl.Message = strings.Replace(fl.Message, "post request", "get request", 1)
	return fl
}
