package telegram

import "testing"

func TestDiscussionPost(t *testing.T) {
	t.Parallel()
	const group = -1001987000222
	copyOf := func(id int64) *message {
		return &message{MessageID: id, Chat: chat{ID: group, Type: "supergroup"}, IsAutomaticForward: true,
			SenderChat: &chat{ID: -1001555000111, Type: "channel"}}
	}
	comment := func(thread int64, reply *message) *message {
		return &message{MessageID: 900, MessageThreadID: thread, Chat: chat{ID: group, Type: "supergroup"},
			From: &user{ID: 5, FirstName: "Ana"}, Text: "hi", ReplyToMessage: reply}
	}
	topic := comment(812, copyOf(812))
	topic.IsTopicMessage = true
	elsewhere := copyOf(812)
	elsewhere.Chat.ID = -1009
	for _, tt := range []struct {
		name string
		m    *message
		want int64 // the post's message id, 0 for none
	}{
		{"comment on the post", comment(812, copyOf(812)), 812},
		{"comment without a thread id", comment(0, copyOf(812)), 812},
		{"copy's chat left out", comment(812, &message{MessageID: 812, IsAutomaticForward: true}), 812},
		{"thread of another post", comment(700, copyOf(812)), 0},
		{"reply to another member's comment", comment(812, &message{MessageID: 815, Chat: chat{ID: group}, From: &user{ID: 6}}), 0},
		{"no reply", comment(0, nil), 0},
		{"forum topic", topic, 0},
		{"copy in another chat", comment(812, elsewhere), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got int64
			if p := discussionPost(tt.m); p != nil {
				got = p.MessageID
			}
			if got != tt.want {
				t.Errorf("discussionPost() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPostSubject(t *testing.T) {
	t.Parallel()
	withOrigin := func(username string, post int64) *message {
		m := &message{MessageID: 812, SenderChat: &chat{ID: -1001555000111, Title: "Acme News", Type: "channel"}}
		m.ForwardOrigin = &forwardOrigin{Type: "channel", Chat: &chat{ID: -1001555000111, Username: username, Type: "channel"}, MessageID: post}
		return m
	}
	for _, tt := range []struct {
		name string
		post *message
		want string
	}{
		{"public channel", withOrigin("acmenews", 95), "Comment on Telegram channel post t.me/acmenews/95"},
		{"private channel", withOrigin("", 95), "Comment on Telegram channel post in Acme News (-1001987000222:812)"},
		{"username Telegram would not give", withOrigin("acme/../x", 95), "Comment on Telegram channel post in Acme News (-1001987000222:812)"},
		{"no origin, no title", &message{MessageID: 812}, "Comment on Telegram channel post -1001987000222:812"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := postSubject(tt.post, -1001987000222); got != tt.want {
				t.Errorf("postSubject() = %q, want %q", got, tt.want)
			}
		})
	}
}
