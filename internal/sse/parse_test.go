package sse

import (
	"bufio"
	"io"
	"strings"
)

// frame is one dispatched server-sent event, or one comment line, as a
// browser's EventSource would see it.
type frame struct {
	ID, Event, Data, Retry string
	Comment                string
}

// readFrames parses an event stream the way the HTML specification describes
// (https://html.spec.whatwg.org/multipage/server-sent-events.html), calling
// emit for every frame and comment until r ends or emit returns false.
func readFrames(r io.Reader, emit func(frame) bool) error {
	br := bufio.NewReader(r)
	var f frame
	var data []string
	pending := false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			if pending {
				f.Data = strings.Join(data, "\n")
				if !emit(f) {
					return nil
				}
			}
			f, data, pending = frame{}, nil, false
			continue
		}
		if comment, ok := strings.CutPrefix(line, ":"); ok {
			if !emit(frame{Comment: strings.TrimPrefix(comment, " ")}) {
				return nil
			}
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		pending = true
		switch name {
		case "id":
			f.ID = value
		case "event":
			f.Event = value
		case "data":
			data = append(data, value)
		case "retry":
			f.Retry = value
		}
	}
}
