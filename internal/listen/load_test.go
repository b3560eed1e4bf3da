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
	// Saved before operators were refused: still read, as plain words,
	// rather than stop the workspace's listening. Saving it again is refused.
	old := `{"subjects":[{"name":"Apple","terms":["apple -pie","apple OR iphone"]}]}`
	if st, err := listen.Load(ctx, settingDoc(old), 1); err != nil || len(st.Subjects[0].Terms) != 2 {
		t.Errorf("Load of a setting saved with operators = %+v, %v; want its two terms", st, err)
	}
	if _, err := listen.ParseSettings([]byte(old)); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("ParseSettings of operators = %v, want EINVALID", err)
	}
}
