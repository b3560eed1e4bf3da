// Package accounts creates users, their workspace memberships and API
// tokens, with the same rules whether the request comes from the API or the
// command line.
package accounts

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
)

// CreateUser validates and stores a user and their membership, for the
// operator at the command line: an address that already has an account
// gets the membership, and the account keeps its password. When password
// is empty a random one is generated and returned; otherwise (and for an
// existing account) "" is returned.
func CreateUser(ctx context.Context, st care.Store, workspaceID care.ID, email, name string, role care.Role, password string, now time.Time) (*care.User, string, error) {
	return createUser(ctx, st, workspaceID, email, name, role, password, now, nil)
}

// AddMember is CreateUser for p, an admin of the workspace the user joins
// (the caller checks the role). An account is one for the whole install,
// so an address that already has one is added only when p is an admin of
// every workspace it belongs to; otherwise EFORBIDDEN, saying how the
// operator adds it, and naming nothing of the account: an admin of one
// brand must not learn about, or pull in, the staff of another.
func AddMember(ctx context.Context, st care.Store, p care.Principal, email, name string, role care.Role, password string, now time.Time) (*care.User, string, error) {
	return createUser(ctx, st, p.WorkspaceID, email, name, role, password, now, func(q care.Queries, u *care.User) error {
		return adminOfAll(ctx, q, p, u, role)
	})
}

// adminOfAll refuses to add u to p's workspace unless p is an admin of
// every workspace u already belongs to. The refusal says how the operator
// adds them as role instead.
func adminOfAll(ctx context.Context, q care.Queries, p care.Principal, u *care.User, role care.Role) error {
	ms, err := q.Memberships(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		mine, err := q.Member(ctx, m.WorkspaceID, p.UserID)
		switch {
		case p.UserID == 0 || care.ErrorCode(err) == care.ENOTFOUND || err == nil && mine.Role != care.RoleAdmin:
			slug := "SLUG"
			if ws, err := q.Workspace(ctx, p.WorkspaceID); err == nil {
				slug = ws.Slug
			}
			return care.Errorf(care.EFORBIDDEN, "%s has an account in another workspace; an operator can add it to this one with `parley user create --email %s --name NAME --role %s --workspace %s`.",
				u.Email, u.Email, role, slug)
		case err != nil:
			return err
		}
	}
	return nil
}

// createUser holds CreateUser's and AddMember's rules; existing, when
// set, decides whether an existing account may join.
func createUser(ctx context.Context, st care.Store, workspaceID care.ID, email, name string, role care.Role, password string, now time.Time,
	existing func(care.Queries, *care.User) error) (*care.User, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return nil, "", care.Errorf(care.EINVALID, "%q is not an email address.", email)
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > care.MaxNameBytes {
		return nil, "", care.Errorf(care.EINVALID, "A name is required, up to %d bytes.", care.MaxNameBytes)
	}
	if !role.Valid() {
		return nil, "", care.Errorf(care.EINVALID, "Role must be admin, supervisor or agent.")
	}
	hash, generated, err := passwordHash(password)
	if err != nil {
		return nil, "", err
	}
	var u *care.User
	err = st.Update(ctx, func(q care.Queries) error {
		found, err := q.UserByEmail(ctx, email)
		switch {
		case err == nil:
			if _, err := q.Member(ctx, workspaceID, found.ID); err == nil {
				return care.Errorf(care.ECONFLICT, "%s is already a member of this workspace.", email)
			}
			if existing != nil {
				if err := existing(q, found); err != nil {
					return err
				}
			}
			u, generated = found, ""
		case care.ErrorCode(err) == care.ENOTFOUND:
			u = &care.User{Email: email, Name: name, PasswordHash: hash, CreatedAt: now}
			if err := q.CreateUser(ctx, u); err != nil {
				return err
			}
		default:
			return err
		}
		return q.SetMember(ctx, care.Member{WorkspaceID: workspaceID, UserID: u.ID, Role: role})
	})
	if err != nil {
		return nil, "", err
	}
	return u, generated, nil
}

// CreateToken validates and stores an API token and returns its secret,
// which is not kept and cannot be shown again.
func CreateToken(ctx context.Context, st care.Store, workspaceID, userID care.ID, name string, role care.Role, now time.Time) (*care.Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return nil, "", care.Errorf(care.EINVALID, "A token needs a name of up to 100 bytes, to tell it apart later.")
	}
	if !role.Valid() {
		return nil, "", care.Errorf(care.EINVALID, "Role must be admin, supervisor or agent.")
	}
	secret, hash, err := auth.NewToken(auth.TokenPrefix)
	if err != nil {
		return nil, "", err
	}
	t := &care.Token{WorkspaceID: workspaceID, UserID: userID, Name: name, Role: role, Hash: hash, CreatedAt: now}
	if err := st.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// SetPassword gives the user with email a new password, for an admin who
// lost theirs: password, or when it is empty a random one, generated and
// returned ("" otherwise). Every session of theirs ends: a reset is what
// one does when a password may be known to someone else, who may be
// signed in with it.
func SetPassword(ctx context.Context, st care.Store, email, password string) (*care.User, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := st.UserByEmail(ctx, email)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, "", care.Errorf(care.ENOTFOUND, "No user has the email %q.", email)
	} else if err != nil {
		return nil, "", err
	}
	hash, generated, err := passwordHash(password)
	if err != nil {
		return nil, "", err
	}
	if err := storePassword(ctx, st, u.ID, hash, nil); err != nil {
		return nil, "", err
	}
	return u, generated, nil
}

// ChangePassword gives a user the new password they chose, once it passes
// auth.CheckPassword, and ends every session of theirs but keep (the hash
// of the session making the change; nil: all of them), for the reason
// SetPassword does.
func ChangePassword(ctx context.Context, st care.Store, userID care.ID, password string, keep []byte) error {
	if err := auth.CheckPassword(password); err != nil {
		return err
	}
	hash, _, err := passwordHash(password)
	if err != nil {
		return err
	}
	return storePassword(ctx, st, userID, hash, keep)
}

// storePassword stores a user's new password hash and ends their sessions
// but keep, at once.
func storePassword(ctx context.Context, st care.Store, userID care.ID, hash string, keep []byte) error {
	return st.Update(ctx, func(q care.Queries) error {
		if err := q.SetPassword(ctx, userID, hash); err != nil {
			return err
		}
		_, err := q.DeleteUserSessions(ctx, userID, keep)
		return err
	})
}

// passwordHash hashes password, or when it is empty a random one it
// returns as generated ("" otherwise). A password given must pass
// auth.CheckPassword.
func passwordHash(password string) (hash, generated string, err error) {
	if password == "" {
		generated = auth.NewCSRFToken()
		password = generated
	} else if err := auth.CheckPassword(password); err != nil {
		return "", "", err
	}
	hash, err = auth.HashPassword(password)
	return hash, generated, err
}
