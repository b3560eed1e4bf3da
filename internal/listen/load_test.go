package listen_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

type settingDoc []byte

func (d settingDoc) Setting(context.Context, care.ID, string) ([]byte, error) {
	if d == nil {
		return nil, care.Errorf(care.ENOTFOUND, "no setting")
	}
	return d, nil
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	if st, err := listen.Load(ctx, settingDoc(nil), 1); err != nil || len(st.Subjects) != 0 {
		t.Errorf("Load without a setting = %+v, %v; want no subjects", st, err)
	}
	if st, err := listen.Load(ctx, settingDoc(`{"subjects":[{"name":"Acme","terms":["ACME"]}]}`), 1); err != nil || st.Subjects[0].Terms[0] != "acme" {
		t.Errorf("Load = %+v, %v; want Acme's term, folded", st, err)
	}
	if _, err := listen.Load(ctx, settingDoc(`{"subjects":"acme"}`), 1); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Load of a broken document = %v, want EINVALID", err)
	}
}
