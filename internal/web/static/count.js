// Parley: the composer's counter. It counts a reply the way its platform
// does, as the agent types, and holds back Send while the text is over the
// limit. The server checks again on send (each channel adapter's
// CheckReply), so a page without this file still refuses what a platform
// would; this file only says so before the agent presses Send.
//
// The rules mirror Parley's Go code, and the browser tests compare the two
// on a shared table of cases:
//
//   x          X's weighted length (internal/channel/x, weighted*.go, after
//              twitter-text v3): NFC, a URL counts 23, an emoji sequence 2,
//              Latin and the like 1, CJK and most symbols 2.
//   sms        GSM-7 or UCS-2 segments (internal/channel/sms, segments.go),
//              limited to 1,600 UTF-16 units a message.
//   mastodon   Mastodon's count (internal/channel/mastodon, count.go): a link
//              counts 23, @user@domain counts as @user, graphemes, and the
//              customer's @mention Parley adds when the text has none.
//   graphemes  what a reader sees as one character (Bluesky).
//   chars      Unicode code points.
//   bytes      UTF-8 bytes.
//
// The form carries the rule: data-unit, data-limit, for a second limit in
// bytes data-bytes, data-hint (what to do when over) and data-quiet (no
// count shown until near the limit); a visibility radio with its own
// data-unit overrides the form's while it is checked. Nothing here writes
// HTML: the counter and its message are set with textContent.
//
// The emoji pattern and the top-level domains below are copies of the Go
// code's data (weighted_emoji.go, tlds.txt); a Go test checks that they
// have not drifted apart.
(function () {
  'use strict';

  // ---- X: weighted length ----

  var WEIGHT_SCALE = 100, WEIGHT_DEFAULT = 200, WEIGHT_URL = 23 * WEIGHT_SCALE, WEIGHT_SINGLE = 100;

  // EMOJI is twitter-text's VALID_EMOJI_PATTERN as Parley's Go code writes
  // it (weighted_emoji.go), with \x{...} spelt \u{...}.
  var EMOJI = new RegExp(
    '(?:\\u{1F468}\\u{1F3FB}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FC}-\\u{1F3FF}]' +
    '|\\u{1F468}\\u{1F3FC}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}\\u{1F3FD}-\\u{1F3FF}]' +
    '|\\u{1F468}\\u{1F3FD}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}\\u{1F3FC}\\u{1F3FE}\\u{1F3FF}]' +
    '|\\u{1F468}\\u{1F3FE}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}-\\u{1F3FD}\\u{1F3FF}]' +
    '|\\u{1F468}\\u{1F3FF}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}-\\u{1F3FE}]' +
    '|\\u{1F469}\\u{1F3FB}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FC}-\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FB}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F469}[\\u{1F3FC}-\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FC}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}\\u{1F3FD}-\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FC}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F469}[\\u{1F3FB}\\u{1F3FD}-\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FD}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}\\u{1F3FC}\\u{1F3FE}\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FD}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F469}[\\u{1F3FB}\\u{1F3FC}\\u{1F3FE}\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FE}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}-\\u{1F3FD}\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FE}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F469}[\\u{1F3FB}-\\u{1F3FD}\\u{1F3FF}]' +
    '|\\u{1F469}\\u{1F3FF}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F468}[\\u{1F3FB}-\\u{1F3FE}]' +
    '|\\u{1F469}\\u{1F3FF}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F469}[\\u{1F3FB}-\\u{1F3FE}]' +
    '|\\u{1F9D1}\\u{1F3FB}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F9D1}[\\u{1F3FB}-\\u{1F3FF}]' +
    '|\\u{1F9D1}\\u{1F3FC}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F9D1}[\\u{1F3FB}-\\u{1F3FF}]' +
    '|\\u{1F9D1}\\u{1F3FD}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F9D1}[\\u{1F3FB}-\\u{1F3FF}]' +
    '|\\u{1F9D1}\\u{1F3FE}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F9D1}[\\u{1F3FB}-\\u{1F3FF}]' +
    '|\\u{1F9D1}\\u{1F3FF}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F9D1}[\\u{1F3FB}-\\u{1F3FF}]' +
    '|\\u{1F9D1}\\u{200D}\\u{1F91D}\\u{200D}\\u{1F9D1}|\\u{1F46B}[\\u{1F3FB}-\\u{1F3FF}]' +
    '|\\u{1F46C}[\\u{1F3FB}-\\u{1F3FF}]|\\u{1F46D}[\\u{1F3FB}-\\u{1F3FF}]|[\\u{1F46B}-\\u{1F46D}])' +
    '|[\\u{1F468}\\u{1F469}\\u{1F9D1}][\\u{1F3FB}-\\u{1F3FF}]?\\u{200D}(?:\\u{2695}\\u{FE0F}|\\u{2696}\\u{FE0F}' +
    '|\\u{2708}\\u{FE0F}' +
    '|[\\u{1F33E}\\u{1F373}\\u{1F393}\\u{1F3A4}\\u{1F3A8}\\u{1F3EB}\\u{1F3ED}\\u{1F4BB}\\u{1F4BC}\\u{1F527}\\u{1F52C}\\u{1F680}\\u{1F692}\\u{1F9AF}-\\u{1F9B3}\\u{1F9BC}\\u{1F9BD}])' +
    '|[\\u{26F9}\\u{1F3CB}\\u{1F3CC}\\u{1F574}\\u{1F575}](?:[\\u{FE0F}\\u{1F3FB}-\\u{1F3FF}]\\u{200D}[\\u{2640}\\u{2642}]\\u{FE0F})' +
    '|[\\u{1F3C3}\\u{1F3C4}\\u{1F3CA}\\u{1F46E}\\u{1F471}\\u{1F473}\\u{1F477}\\u{1F481}\\u{1F482}\\u{1F486}\\u{1F487}\\u{1F645}-\\u{1F647}\\u{1F64B}\\u{1F64D}\\u{1F64E}\\u{1F6A3}\\u{1F6B4}-\\u{1F6B6}\\u{1F926}\\u{1F935}\\u{1F937}-\\u{1F939}\\u{1F93D}\\u{1F93E}\\u{1F9B8}\\u{1F9B9}\\u{1F9CD}-\\u{1F9CF}\\u{1F9D6}-\\u{1F9DD}][\\u{1F3FB}-\\u{1F3FF}]?\\u{200D}[\\u{2640}\\u{2642}]\\u{FE0F}' +
    '|(?:\\u{1F468}\\u{200D}\\u{2764}\\u{FE0F}\\u{200D}\\u{1F48B}\\u{200D}\\u{1F468}' +
    '|\\u{1F469}\\u{200D}\\u{2764}\\u{FE0F}\\u{200D}\\u{1F48B}\\u{200D}[\\u{1F468}\\u{1F469}]' +
    '|\\u{1F468}\\u{200D}\\u{1F468}\\u{200D}\\u{1F466}\\u{200D}\\u{1F466}' +
    '|\\u{1F468}\\u{200D}\\u{1F468}\\u{200D}\\u{1F467}\\u{200D}[\\u{1F466}\\u{1F467}]' +
    '|\\u{1F468}\\u{200D}\\u{1F469}\\u{200D}\\u{1F466}\\u{200D}\\u{1F466}' +
    '|\\u{1F468}\\u{200D}\\u{1F469}\\u{200D}\\u{1F467}\\u{200D}[\\u{1F466}\\u{1F467}]' +
    '|\\u{1F469}\\u{200D}\\u{1F469}\\u{200D}\\u{1F466}\\u{200D}\\u{1F466}' +
    '|\\u{1F469}\\u{200D}\\u{1F469}\\u{200D}\\u{1F467}\\u{200D}[\\u{1F466}\\u{1F467}]' +
    '|\\u{1F468}\\u{200D}\\u{2764}\\u{FE0F}\\u{200D}\\u{1F468}' +
    '|\\u{1F469}\\u{200D}\\u{2764}\\u{FE0F}\\u{200D}[\\u{1F468}\\u{1F469}]|\\u{1F3F3}\\u{FE0F}\\u{200D}\\u{26A7}\\u{FE0F}' +
    '|\\u{1F468}\\u{200D}\\u{1F466}\\u{200D}\\u{1F466}|\\u{1F468}\\u{200D}\\u{1F467}\\u{200D}[\\u{1F466}\\u{1F467}]' +
    '|\\u{1F468}\\u{200D}\\u{1F468}\\u{200D}[\\u{1F466}\\u{1F467}]' +
    '|\\u{1F468}\\u{200D}\\u{1F469}\\u{200D}[\\u{1F466}\\u{1F467}]|\\u{1F469}\\u{200D}\\u{1F466}\\u{200D}\\u{1F466}' +
    '|\\u{1F469}\\u{200D}\\u{1F467}\\u{200D}[\\u{1F466}\\u{1F467}]' +
    '|\\u{1F469}\\u{200D}\\u{1F469}\\u{200D}[\\u{1F466}\\u{1F467}]|\\u{1F3F3}\\u{FE0F}\\u{200D}\\u{1F308}' +
    '|\\u{1F3F4}\\u{200D}\\u{2620}\\u{FE0F}|\\u{1F46F}\\u{200D}\\u{2640}\\u{FE0F}|\\u{1F46F}\\u{200D}\\u{2642}\\u{FE0F}' +
    '|\\u{1F93C}\\u{200D}\\u{2640}\\u{FE0F}|\\u{1F93C}\\u{200D}\\u{2642}\\u{FE0F}|\\u{1F9DE}\\u{200D}\\u{2640}\\u{FE0F}' +
    '|\\u{1F9DE}\\u{200D}\\u{2642}\\u{FE0F}|\\u{1F9DF}\\u{200D}\\u{2640}\\u{FE0F}|\\u{1F9DF}\\u{200D}\\u{2642}\\u{FE0F}' +
    '|\\u{1F415}\\u{200D}\\u{1F9BA}|\\u{1F441}\\u{200D}\\u{1F5E8}|\\u{1F468}\\u{200D}[\\u{1F466}\\u{1F467}]' +
    '|\\u{1F469}\\u{200D}[\\u{1F466}\\u{1F467}])|[#*0-9]\\u{FE0F}?\\u{20E3}' +
    '|(?:[\\u{A9}\\u{AE}\\u{2122}\\u{265F}]\\u{FE0F})' +
    '|[\\u{203C}\\u{2049}\\u{2139}\\u{2194}-\\u{2199}\\u{21A9}\\u{21AA}\\u{231A}\\u{231B}\\u{2328}\\u{23CF}\\u{23ED}-\\u{23EF}\\u{23F1}\\u{23F2}\\u{23F8}-\\u{23FA}\\u{24C2}\\u{25AA}\\u{25AB}\\u{25B6}\\u{25C0}\\u{25FB}-\\u{25FE}\\u{2600}-\\u{2604}\\u{260E}\\u{2611}\\u{2614}\\u{2615}\\u{2618}\\u{2620}\\u{2622}\\u{2623}\\u{2626}\\u{262A}\\u{262E}\\u{262F}\\u{2638}-\\u{263A}\\u{2640}\\u{2642}\\u{2648}-\\u{2653}\\u{2660}\\u{2663}\\u{2665}\\u{2666}\\u{2668}\\u{267B}\\u{267F}\\u{2692}-\\u{2697}\\u{2699}\\u{269B}\\u{269C}\\u{26A0}\\u{26A1}\\u{26A7}\\u{26AA}\\u{26AB}\\u{26B0}\\u{26B1}\\u{26BD}\\u{26BE}\\u{26C4}\\u{26C5}\\u{26C8}\\u{26CF}\\u{26D1}\\u{26D3}\\u{26D4}\\u{26E9}\\u{26EA}\\u{26F0}-\\u{26F5}\\u{26F8}\\u{26FA}\\u{26FD}\\u{2702}\\u{2708}\\u{2709}\\u{270F}\\u{2712}\\u{2714}\\u{2716}\\u{271D}\\u{2721}\\u{2733}\\u{2734}\\u{2744}\\u{2747}\\u{2757}\\u{2763}\\u{2764}\\u{27A1}\\u{2934}\\u{2935}\\u{2B05}-\\u{2B07}\\u{2B1B}\\u{2B1C}\\u{2B50}\\u{2B55}\\u{3030}\\u{303D}\\u{3297}\\u{3299}\\u{1F004}\\u{1F170}\\u{1F171}\\u{1F17E}\\u{1F17F}\\u{1F202}\\u{1F21A}\\u{1F22F}\\u{1F237}\\u{1F321}\\u{1F324}-\\u{1F32C}\\u{1F336}\\u{1F37D}\\u{1F396}\\u{1F397}\\u{1F399}-\\u{1F39B}\\u{1F39E}\\u{1F39F}\\u{1F3CD}\\u{1F3CE}\\u{1F3D4}-\\u{1F3DF}\\u{1F3F3}\\u{1F3F5}\\u{1F3F7}\\u{1F43F}\\u{1F441}\\u{1F4FD}\\u{1F549}\\u{1F54A}\\u{1F56F}\\u{1F570}\\u{1F573}\\u{1F576}-\\u{1F579}\\u{1F587}\\u{1F58A}-\\u{1F58D}\\u{1F5A5}\\u{1F5A8}\\u{1F5B1}\\u{1F5B2}\\u{1F5BC}\\u{1F5C2}-\\u{1F5C4}\\u{1F5D1}-\\u{1F5D3}\\u{1F5DC}-\\u{1F5DE}\\u{1F5E1}\\u{1F5E3}\\u{1F5E8}\\u{1F5EF}\\u{1F5F3}\\u{1F5FA}\\u{1F6CB}\\u{1F6CD}-\\u{1F6CF}\\u{1F6E0}-\\u{1F6E5}\\u{1F6E9}\\u{1F6F0}\\u{1F6F3}]\\u{FE0F}?' +
    '|(?:[\\u{261D}\\u{26F7}\\u{26F9}\\u{270C}\\u{270D}\\u{1F3CB}\\u{1F3CC}\\u{1F574}\\u{1F575}\\u{1F590}]\\u{FE0F}?' +
    '|[\\u{270A}\\u{270B}\\u{1F385}\\u{1F3C2}-\\u{1F3C4}\\u{1F3C7}\\u{1F3CA}\\u{1F442}\\u{1F443}\\u{1F446}-\\u{1F450}\\u{1F466}-\\u{1F469}\\u{1F46E}\\u{1F470}-\\u{1F478}\\u{1F47C}\\u{1F481}-\\u{1F483}\\u{1F485}-\\u{1F487}\\u{1F4AA}\\u{1F57A}\\u{1F595}\\u{1F596}\\u{1F645}-\\u{1F647}\\u{1F64B}-\\u{1F64F}\\u{1F6A3}\\u{1F6B4}-\\u{1F6B6}\\u{1F6C0}\\u{1F6CC}\\u{1F90F}\\u{1F918}-\\u{1F91C}\\u{1F91E}\\u{1F91F}\\u{1F926}\\u{1F930}-\\u{1F939}\\u{1F93D}\\u{1F93E}\\u{1F9B5}\\u{1F9B6}\\u{1F9B8}\\u{1F9B9}\\u{1F9BB}\\u{1F9CD}-\\u{1F9CF}\\u{1F9D1}-\\u{1F9DD}])[\\u{1F3FB}-\\u{1F3FF}]?' +
    '|(?:\\u{1F3F4}\\u{E0067}\\u{E0062}\\u{E0065}\\u{E006E}\\u{E0067}\\u{E007F}' +
    '|\\u{1F3F4}\\u{E0067}\\u{E0062}\\u{E0073}\\u{E0063}\\u{E0074}\\u{E007F}' +
    '|\\u{1F3F4}\\u{E0067}\\u{E0062}\\u{E0077}\\u{E006C}\\u{E0073}\\u{E007F}' +
    '|\\u{1F1E6}[\\u{1F1E8}-\\u{1F1EC}\\u{1F1EE}\\u{1F1F1}\\u{1F1F2}\\u{1F1F4}\\u{1F1F6}-\\u{1F1FA}\\u{1F1FC}\\u{1F1FD}\\u{1F1FF}]' +
    '|\\u{1F1E7}[\\u{1F1E6}\\u{1F1E7}\\u{1F1E9}-\\u{1F1EF}\\u{1F1F1}-\\u{1F1F4}\\u{1F1F6}-\\u{1F1F9}\\u{1F1FB}\\u{1F1FC}\\u{1F1FE}\\u{1F1FF}]' +
    '|\\u{1F1E8}[\\u{1F1E6}\\u{1F1E8}\\u{1F1E9}\\u{1F1EB}-\\u{1F1EE}\\u{1F1F0}-\\u{1F1F5}\\u{1F1F7}\\u{1F1FA}-\\u{1F1FF}]' +
    '|\\u{1F1E9}[\\u{1F1EA}\\u{1F1EC}\\u{1F1EF}\\u{1F1F0}\\u{1F1F2}\\u{1F1F4}\\u{1F1FF}]' +
    '|\\u{1F1EA}[\\u{1F1E6}\\u{1F1E8}\\u{1F1EA}\\u{1F1EC}\\u{1F1ED}\\u{1F1F7}-\\u{1F1FA}]' +
    '|\\u{1F1EB}[\\u{1F1EE}-\\u{1F1F0}\\u{1F1F2}\\u{1F1F4}\\u{1F1F7}]' +
    '|\\u{1F1EC}[\\u{1F1E6}\\u{1F1E7}\\u{1F1E9}-\\u{1F1EE}\\u{1F1F1}-\\u{1F1F3}\\u{1F1F5}-\\u{1F1FA}\\u{1F1FC}\\u{1F1FE}]' +
    '|\\u{1F1ED}[\\u{1F1F0}\\u{1F1F2}\\u{1F1F3}\\u{1F1F7}\\u{1F1F9}\\u{1F1FA}]' +
    '|\\u{1F1EE}[\\u{1F1E8}-\\u{1F1EA}\\u{1F1F1}-\\u{1F1F4}\\u{1F1F6}-\\u{1F1F9}]' +
    '|\\u{1F1EF}[\\u{1F1EA}\\u{1F1F2}\\u{1F1F4}\\u{1F1F5}]' +
    '|\\u{1F1F0}[\\u{1F1EA}\\u{1F1EC}-\\u{1F1EE}\\u{1F1F2}\\u{1F1F3}\\u{1F1F5}\\u{1F1F7}\\u{1F1FC}\\u{1F1FE}\\u{1F1FF}]' +
    '|\\u{1F1F1}[\\u{1F1E6}-\\u{1F1E8}\\u{1F1EE}\\u{1F1F0}\\u{1F1F7}-\\u{1F1FB}\\u{1F1FE}]' +
    '|\\u{1F1F2}[\\u{1F1E6}\\u{1F1E8}-\\u{1F1ED}\\u{1F1F0}-\\u{1F1FF}]' +
    '|\\u{1F1F3}[\\u{1F1E6}\\u{1F1E8}\\u{1F1EA}-\\u{1F1EC}\\u{1F1EE}\\u{1F1F1}\\u{1F1F4}\\u{1F1F5}\\u{1F1F7}\\u{1F1FA}\\u{1F1FF}]' +
    '|\\u{1F1F4}\\u{1F1F2}' +
    '|\\u{1F1F5}[\\u{1F1E6}\\u{1F1EA}-\\u{1F1ED}\\u{1F1F0}-\\u{1F1F3}\\u{1F1F7}-\\u{1F1F9}\\u{1F1FC}\\u{1F1FE}]' +
    '|\\u{1F1F6}\\u{1F1E6}|\\u{1F1F7}[\\u{1F1EA}\\u{1F1F4}\\u{1F1F8}\\u{1F1FA}\\u{1F1FC}]' +
    '|\\u{1F1F8}[\\u{1F1E6}-\\u{1F1EA}\\u{1F1EC}-\\u{1F1F4}\\u{1F1F7}-\\u{1F1F9}\\u{1F1FB}\\u{1F1FD}-\\u{1F1FF}]' +
    '|\\u{1F1F9}[\\u{1F1E6}\\u{1F1E8}\\u{1F1E9}\\u{1F1EB}-\\u{1F1ED}\\u{1F1EF}-\\u{1F1F4}\\u{1F1F7}\\u{1F1F9}\\u{1F1FB}\\u{1F1FC}\\u{1F1FF}]' +
    '|\\u{1F1FA}[\\u{1F1E6}\\u{1F1EC}\\u{1F1F2}\\u{1F1F3}\\u{1F1F8}\\u{1F1FE}\\u{1F1FF}]' +
    '|\\u{1F1FB}[\\u{1F1E6}\\u{1F1E8}\\u{1F1EA}\\u{1F1EC}\\u{1F1EE}\\u{1F1F3}\\u{1F1FA}]' +
    '|\\u{1F1FC}[\\u{1F1EB}\\u{1F1F8}]|\\u{1F1FD}\\u{1F1F0}|\\u{1F1FE}[\\u{1F1EA}\\u{1F1F9}]' +
    '|\\u{1F1FF}[\\u{1F1E6}\\u{1F1F2}\\u{1F1FC}]' +
    '|[\\u{23E9}-\\u{23EC}\\u{23F0}\\u{23F3}\\u{267E}\\u{26CE}\\u{2705}\\u{2728}\\u{274C}\\u{274E}\\u{2753}-\\u{2755}\\u{2795}-\\u{2797}\\u{27B0}\\u{27BF}\\u{E50A}\\u{1F0CF}\\u{1F18E}\\u{1F191}-\\u{1F19A}\\u{1F1E6}-\\u{1F1FF}\\u{1F201}\\u{1F232}-\\u{1F236}\\u{1F238}-\\u{1F23A}\\u{1F250}\\u{1F251}\\u{1F300}-\\u{1F320}\\u{1F32D}-\\u{1F335}\\u{1F337}-\\u{1F37C}\\u{1F37E}-\\u{1F384}\\u{1F386}-\\u{1F393}\\u{1F3A0}-\\u{1F3C1}\\u{1F3C5}\\u{1F3C6}\\u{1F3C8}\\u{1F3C9}\\u{1F3CF}-\\u{1F3D3}\\u{1F3E0}-\\u{1F3F0}\\u{1F3F4}\\u{1F3F8}-\\u{1F43E}\\u{1F440}\\u{1F444}\\u{1F445}\\u{1F451}-\\u{1F465}\\u{1F46A}\\u{1F46F}\\u{1F479}-\\u{1F47B}\\u{1F47D}-\\u{1F480}\\u{1F484}\\u{1F488}-\\u{1F4A9}\\u{1F4AB}-\\u{1F4FC}\\u{1F4FF}-\\u{1F53D}\\u{1F54B}-\\u{1F54E}\\u{1F550}-\\u{1F567}\\u{1F5A4}\\u{1F5FB}-\\u{1F644}\\u{1F648}-\\u{1F64A}\\u{1F680}-\\u{1F6A2}\\u{1F6A4}-\\u{1F6B3}\\u{1F6B7}-\\u{1F6BF}\\u{1F6C1}-\\u{1F6C5}\\u{1F6D0}-\\u{1F6D2}\\u{1F6D5}\\u{1F6EB}\\u{1F6EC}\\u{1F6F4}-\\u{1F6FA}\\u{1F7E0}-\\u{1F7EB}\\u{1F90D}\\u{1F90E}\\u{1F910}-\\u{1F917}\\u{1F91D}\\u{1F920}-\\u{1F925}\\u{1F927}-\\u{1F92F}\\u{1F93A}\\u{1F93C}\\u{1F93F}-\\u{1F945}\\u{1F947}-\\u{1F971}\\u{1F973}-\\u{1F976}\\u{1F97A}-\\u{1F9A2}\\u{1F9A5}-\\u{1F9AA}\\u{1F9AE}-\\u{1F9B4}\\u{1F9B7}\\u{1F9BA}\\u{1F9BC}-\\u{1F9CA}\\u{1F9D0}\\u{1F9DE}-\\u{1F9FF}\\u{1FA70}-\\u{1FA73}\\u{1FA78}-\\u{1FA7A}\\u{1FA80}-\\u{1FA82}\\u{1FA90}-\\u{1FA95}])' +
    '|\\u{FE0F}', 'gu');

  // TLD_LIST are the top-level domains twitter-text recognises, in its order
  // (internal/channel/x/tlds.txt): generic, then country.
  var TLD_LIST = (
    '삼성 닷컴 닷넷 香格里拉 餐厅 食品 飞利浦 電訊盈科 集团 通販 购物 谷歌 诺基亚 联通 网络 网站 网店 网址 组织机构 移动 珠宝 点看 游戏 淡马锡 机构 書籍 时尚 新闻 政府 政务 ' +
    '手表 手机 我爱你 慈善 微博 广东 工行 家電 娱乐 天主教 大拿 大众汽车 在线 嘉里大酒店 嘉里 商标 商店 商城 公益 公司 八卦 健康 信息 佛山 企业 中文网 中信 世界 ポイント ' +
    'ファッション セール ストア コム グーグル クラウド みんな คอม संगठन नेट कॉम همراه موقع موبايلي كوم كاثوليك عرب شبكة بيتك بازار ' +
    'العليان ارامكو اتصالات ابوظبي קום сайт рус орг онлайн москва ком католик дети zuerich zone zippo zip ' +
    'zero zara zappos yun youtube you yokohama yoga yodobashi yandex yamaxun yahoo yachts xyz xxx xperia ' +
    'xin xihuan xfinity xerox xbox wtf wtc wow world works work woodside wolterskluwer wme winners wine ' +
    'windows win williamhill wiki wien whoswho weir weibo wedding wed website weber webcam weatherchannel ' +
    'weather watches watch warman wanggou wang walter walmart wales vuelos voyage voto voting vote volvo ' +
    'volkswagen vodka vlaanderen vivo viva vistaprint vista vision visa virgin vip vin villas viking vig ' +
    'video viajes vet versicherung vermögensberatung vermögensberater verisign ventures vegas vanguard ' +
    'vana vacations ups uol uno university unicom uconnect ubs ubank tvs tushu tunes tui tube trv trust ' +
    'travelersinsurance travelers travelchannel travel training trading trade toys toyota town tours ' +
    'total toshiba toray top tools tokyo today tmall tkmaxx tjx tjmaxx tirol tires tips tiffany tienda ' +
    'tickets tiaa theatre theater thd teva tennis temasek telefonica telecity tel technology tech team ' +
    'tdk tci taxi tax tattoo tatar tatamotors target taobao talk taipei tab systems symantec sydney swiss ' +
    'swiftcover swatch suzuki surgery surf support supply supplies sucks style study studio stream store ' +
    'storage stockholm stcgroup stc statoil statefarm statebank starhub star staples stada srt srl ' +
    'spreadbetting spot spiegel space soy sony song solutions solar sohu software softbank social soccer ' +
    'sncf smile smart sling skype sky skin ski site singles sina silk shriram showtime show shouji ' +
    'shopping shop shoes shiksha shia shell shaw sharp shangrila sfr sexy sex sew seven ses services ' +
    'sener select seek security secure seat search scot scor scjohnson science schwarz schule school ' +
    'scholarships schmidt schaeffler scb sca sbs sbi saxo save sas sarl sapo sap sanofi sandvikcoromant ' +
    'sandvik samsung samsclub salon sale sakura safety safe saarland ryukyu rwe run ruhr rugby rsvp room ' +
    'rogers rodeo rocks rocher rmit rip rio ril rightathome ricoh richardli rich rexroth reviews review ' +
    'restaurant rest republican report repair rentals rent ren reliance reit reisen reise rehab ' +
    'redumbrella redstone red recipes realty realtor realestate read raid radio racing qvc quest quebec ' +
    'qpon pwc pub prudential pru protection property properties promo progressive prof productions prod ' +
    'pro prime press praxi pramerica post porn politie poker pohl pnc plus plumbing playstation play ' +
    'place pizza pioneer pink ping pin pid pictures pictet pics piaget physio photos photography photo ' +
    'phone philips phd pharmacy pfizer pet pccw pay passagens party parts partners pars paris panerai ' +
    'panasonic pamperedchef page ovh ott otsuka osaka origins orientexpress organic org orange oracle ' +
    'open ooo onyourside online onl ong one omega ollo oldnavy olayangroup olayan okinawa office off ' +
    'observer obi nyc ntt nrw nra nowtv nowruz now norton northwesternmutual nokia nissay nissan ninja ' +
    'nikon nike nico nhk ngo nfl nexus nextdirect next news newholland new neustar network netflix ' +
    'netbank net nec nba navy natura nationwide name nagoya nadex nab mutuelle mutual museum mtr mtpc mtn ' +
    'msd movistar movie mov motorcycles moto moscow mortgage mormon mopar montblanc monster money monash ' +
    'mom moi moe moda mobily mobile mobi mma mls mlb mitsubishi mit mint mini mil microsoft miami metlife ' +
    'merckmsd meo menu men memorial meme melbourne meet media med mckinsey mcdonalds mcd mba mattel ' +
    'maserati marshalls marriott markets marketing market map mango management man makeup maison maif ' +
    'madrid macys luxury luxe lupin lundbeck ltda ltd lplfinancial lpl love lotto lotte london lol loft ' +
    'locus locker loans loan lixil living live lipsy link linde lincoln limo limited lilly like lighting ' +
    'lifestyle lifeinsurance life lidl liaison lgbt lexus lego legal lefrak leclerc lease lds lawyer law ' +
    'latrobe latino lat lasalle lanxess landrover land lancome lancia lancaster lamer lamborghini ' +
    'ladbrokes lacaixa kyoto kuokgroup kred krd kpn kpmg kosher komatsu koeln kiwi kitchen kindle kinder ' +
    'kim kia kfh kerryproperties kerrylogistics kerryhotels kddi kaufen juniper juegos jprs jpmorgan joy ' +
    'jot joburg jobs jnj jmp jll jlc jio jewelry jetzt jeep jcp jcb java jaguar iwc iveco itv itau ' +
    'istanbul ist ismaili iselect irish ipiranga investments intuit international intel int insure ' +
    'insurance institute ink ing info infiniti industries immobilien immo imdb imamat ikano iinet ifm ' +
    'ieee icu ice icbc ibm hyundai hyatt hughes htc hsbc how house hotmail hotels hoteles hot hosting ' +
    'host hospital horse honeywell honda homesense homes homegoods homedepot holiday holdings hockey hkt ' +
    'hiv hitachi hisamitsu hiphop hgtv hermes here helsinki help healthcare health hdfcbank hdfc hbo haus ' +
    'hangout hamburg hair guru guitars guide guge gucci guardian group grocery gripe green gratis ' +
    'graphics grainger gov got gop google goog goodyear goodhands goo golf goldpoint gold godaddy gmx gmo ' +
    'gmbh gmail globo global gle glass glade giving gives gifts gift ggee george genting gent gea gdn ' +
    'gbiz garden gap games game gallup gallo gallery gal fyi futbol furniture fund fun fujixerox fujitsu ' +
    'ftr frontier frontdoor frogans frl fresenius free fox foundation forum forsale forex ford football ' +
    'foodnetwork food foo fly flsmidth flowers florist flir flights flickr fitness fit fishing fish ' +
    'firmdale firestone fire financial finance final film fido fidelity fiat ferrero ferrari feedback ' +
    'fedex fast fashion farmers farm fans fan family faith fairwinds fail fage extraspace express exposed ' +
    'expert exchange everbank events eus eurovision etisalat esurance estate esq erni ericsson equipment ' +
    'epson epost enterprises engineering engineer energy emerck email education edu edeka eco eat earth ' +
    'dvr dvag durban dupont duns dunlop duck dubai dtv drive download dot doosan domains doha dog dodge ' +
    'doctor docs dnp diy dish discover discount directory direct digital diet diamonds dhl dev design ' +
    'desi dentist dental democrat delta deloitte dell delivery degree deals dealer deal dds dclk day ' +
    'datsun dating date data dance dad dabur cyou cymru cuisinella csc cruises cruise crs crown cricket ' +
    'creditunion creditcard credit courses coupons coupon country corsica coop cool cookingchannel ' +
    'cooking contractors contact consulting construction condos comsec computer compare company community ' +
    'commbank comcast com cologne college coffee codes coach clubmed club cloud clothing clinique clinic ' +
    'click cleaning claims cityeats city citic citi citadel cisco circle cipriani church chrysler chrome ' +
    'christmas chloe chintai cheap chat chase channel chanel cfd cfa cern ceo center ceb cbs cbre cbn cba ' +
    'catholic catering cat casino cash caseih case casa cartier cars careers career care cards caravan ' +
    'car capitalone capital capetown canon cancerresearch camp camera cam calvinklein call cal cafe cab ' +
    'bzh buzz buy business builders build bugatti budapest brussels brother broker broadway bridgestone ' +
    'bradesco box boutique bot boston bostik bosch boots booking book boo bond bom bofa boehringer boats ' +
    'bnpparibas bnl bmw bms blue bloomberg blog blockbuster blanco blackfriday black biz bio bingo bing ' +
    'bike bid bible bharti bet bestbuy best berlin bentley beer beauty beats bcn bcg bbva bbt bbc bayern ' +
    'bauhaus basketball baseball bargains barefoot barclays barclaycard barcelona bar bank band ' +
    'bananarepublic banamex baidu baby azure axa aws avianca autos auto author auspost audio audible audi ' +
    'auction attorney athleta associates asia asda arte art arpa army archi aramco arab aquarelle apple ' +
    'app apartments aol anz anquan android analytics amsterdam amica amfam amex americanfamily ' +
    'americanexpress alstom alsace ally allstate allfinanz alipay alibaba alfaromeo akdn airtel airforce ' +
    'airbus aigo aig agency agakhan africa afl afamilycompany aetna aero aeg adult ads adac actor active ' +
    'aco accountants accountant accenture academy abudhabi abogado able abc abbvie abbott abb abarth aarp ' +
    'aaa onion 한국 香港 澳門 新加坡 台灣 台湾 中國 中国 გე ไทย ලංකා ഭാരതം ಭಾರತ భారత్ சிங்கப்பூர் இலங்கை இந்தியா ଭାରତ ભારત ' +
    'ਭਾਰਤ ভাৰত ভারত বাংলা भारोत भारतम् भारत ڀارت پاکستان موريتانيا مليسيا مصر قطر فلسطين عمان عراق سورية ' +
    'سودان تونس بھارت بارت ایران امارات المغرب السعودية الجزائر الاردن հայ қаз укр срб рф мон мкд ею бел ' +
    'бг ελ zw zm za yt ye ws wf vu vn vi vg ve vc va uz uy us um uk ug ua tz tw tv tt tr tp to tn tm tl ' +
    'tk tj th tg tf td tc sz sy sx sv su st ss sr so sn sm sl sk sj si sh sg se sd sc sb sa rw ru rs ro ' +
    're qa py pw pt ps pr pn pm pl pk ph pg pf pe pa om nz nu nr np no nl ni ng nf ne nc na mz my mx mw ' +
    'mv mu mt ms mr mq mp mo mn mm ml mk mh mg mf me md mc ma ly lv lu lt ls lr lk li lc lb la kz ky kw ' +
    'kr kp kn km ki kh kg ke jp jo jm je it is ir iq io in im il ie id hu ht hr hn hm hk gy gw gu gt gs ' +
    'gr gq gp gn gm gl gi gh gg gf ge gd gb ga fr fo fm fk fj fi eu et es er eh eg ee ec dz do dm dk dj ' +
    'de cz cy cx cw cv cu cr co cn cm cl ck ci ch cg cf cd cc ca bz by bw bv bt bs br bq bo bn bm bl bj ' +
    'bi bh bg bf be bd bb ba az ax aw au at as ar aq ao an am al ai ag af ae ad ac').split(' ');
  var ASCII_TLDS = new Set(), UNICODE_TLDS = [];
  TLD_LIST.forEach(function (t) {
    if (/^[\x00-\x7f]+$/.test(t)) ASCII_TLDS.add(t); else UNICODE_TLDS.push(t);
  });

  // weigh returns X's weighted length of text and whether it holds a
  // character X refuses in a post (U+FFFE, U+FEFF, U+FFFF).
  function weigh(text) {
    if (allSpace(text)) return { length: 0, invalid: false };
    var s = text.normalize('NFC');
    var urls = extractURLs(s);
    var emoji = new Map();
    if (!isASCII(s)) {
      EMOJI.lastIndex = 0;
      for (var m = EMOJI.exec(s); m; m = EMOJI.exec(s)) emoji.set(m.index, m.index + m[0].length);
    }
    var weight = 0, next = 0, invalid = false;
    for (var off = 0; off < s.length;) {
      // A URL counts only where the walk lands on its start; one that
      // begins inside an emoji match counts character by character.
      while (next < urls.length && urls[next].start < off) next++;
      if (next < urls.length && urls[next].start === off) {
        weight += WEIGHT_URL;
        off = urls[next].end;
        next++;
        if (off >= s.length) break;
      }
      var r = s.codePointAt(off), size = r > 0xffff ? 2 : 1;
      if (emoji.has(off)) {
        weight += WEIGHT_DEFAULT;
        size = emoji.get(off) - off;
      } else {
        weight += runeWeight(r);
      }
      invalid = invalid || r === 0xfffe || r === 0xfeff || r === 0xffff;
      off += size;
    }
    return { length: Math.floor(weight / WEIGHT_SCALE), invalid: invalid };
  }

  // allSpace is Java's String.trim() === '': every character up to U+0020.
  function allSpace(s) {
    for (var i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x20) return false;
    return true;
  }

  function isASCII(s) { return !/[^\x00-\x7f]/.test(s); }

  function runeWeight(r) {
    if (r <= 0x10ff || (r >= 0x2000 && r <= 0x200d) || (r >= 0x2010 && r <= 0x201f) || (r >= 0x2032 && r <= 0x2037)) {
      return WEIGHT_SINGLE;
    }
    return WEIGHT_DEFAULT;
  }

  // URL detection: twitter-text's VALID_URL as the Go code writes it out
  // (weighted_url.go), over UTF-16 offsets instead of bytes.

  var MAX_URL_LENGTH = 4096, MAX_TCO_SLUG = 40, MAX_LABEL = 63;

  function cpSize(r) { return r > 0xffff ? 2 : 1; }
  function isDigitC(c) { return c >= 48 && c <= 57; }
  function lowerC(c) { return c >= 65 && c <= 90 ? c + 32 : c; }
  function isAlnumC(c) { c = lowerC(c); return (c >= 97 && c <= 122) || isDigitC(c); }

  function validPrecedingRune(r) {
    if ((r < 0x80 && isAlnumC(r)) || r === 0x40 || r === 0xff20 || r === 0x24 || r === 0x23 || r === 0xff03 ||
        r === 0xfffe || r === 0xfeff || r === 0xffff) return false;
    return true;
  }

  function isLatinAccent(r) {
    if ((r >= 0xc0 && r <= 0xd6) || (r >= 0xd8 && r <= 0xf6) || (r >= 0xf8 && r <= 0x24f) ||
        (r >= 0x300 && r <= 0x36f) || (r >= 0x1e00 && r <= 0x1eff)) return true;
    return [0x253, 0x254, 0x256, 0x257, 0x259, 0x25b, 0x263, 0x268, 0x26f, 0x272, 0x289, 0x28b, 0x2bb].indexOf(r) >= 0;
  }

  function isURLChar(r) { return r < 0x80 ? isAlnumC(r) : isLatinAccent(r); }
  function isLabelRune(r) { return r === 0x2d || r === 0x5f || isURLChar(r); }

  var ASCII_PUNCT = "-_!\"#$%&'()*+,./:;<=>?@[]^`{|}~";
  var SEPARATOR = /\p{Z}/u;

  function isUnicodeDomainRune(r) {
    if ((r < 0x80 && ASCII_PUNCT.indexOf(String.fromCharCode(r)) >= 0) || r === 0x20 || (r >= 0x09 && r <= 0x0d) ||
        (r >= 0x2000 && r <= 0x206f) || SEPARATOR.test(String.fromCodePoint(r))) return false;
    return true;
  }

  var PATH_CHARS = "!*';:=+,.$/%#[]-_~|&@", PATH_ENDING = '=_#/-+';
  function isPathRune(r) {
    if (r < 0x80) return isAlnumC(r) || PATH_CHARS.indexOf(String.fromCharCode(r)) >= 0;
    return r === 0x2013 || isLatinAccent(r) || (r >= 0x400 && r <= 0x4ff);
  }
  function isPathEndingRune(r) {
    if (r < 0x80) return isAlnumC(r) || PATH_ENDING.indexOf(String.fromCharCode(r)) >= 0;
    return isLatinAccent(r) || (r >= 0x400 && r <= 0x4ff);
  }

  var QUERY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!?*\'();:&=+$/%#[]-_.,~|@';
  var QUERY_ENDING = 'abcdefghijklmnopqrstuvwxyz0123456789-_&=#/';
  function inSet(set, c) { return c < 0x80 && set.indexOf(String.fromCharCode(lowerC(c))) >= 0; }

  function extractURLs(s) {
    if (s.indexOf('.') < 0) return [];
    var x = new Scanner(s), spans = [];
    for (var i = 0; i <= s.length;) {
      var m = x.matchAt(i);
      if (!m) {
        if (i === s.length) break;
        i += cpSize(s.codePointAt(i));
        continue;
      }
      var span = x.accept(m);
      if (span) spans.push(span);
      i = m.end;
    }
    return spans;
  }

  // Scanner precomputes, for each code point start p, the run of label
  // characters it is in and the furthest label along a dotted chain that
  // can be a domain followed by a TLD, as the Go scanner does.
  function Scanner(s) {
    var n = s.length;
    this.s = s;
    this.runEnd = new Int32Array(n + 1);
    this.runLastC = new Uint8Array(n + 1);
    this.runUnderscore = new Uint8Array(n + 1);
    this.far = new Int32Array(n + 1).fill(-1);
    this.tld = new Map();
    this.runEnd[n] = n;
    var starts = [], p, k;
    for (p = 0; p < n; p += cpSize(s.codePointAt(p))) starts.push(p);
    for (k = starts.length - 1; k >= 0; k--) {
      p = starts[k];
      var r = s.codePointAt(p), next = p + cpSize(r);
      if (!isLabelRune(r)) { this.runEnd[p] = p; continue; }
      this.runEnd[p] = this.runEnd[next];
      this.runLastC[p] = this.runEnd[next] === next ? (isURLChar(r) ? 1 : 0) : this.runLastC[next];
      this.runUnderscore[p] = r === 0x5f || this.runUnderscore[next] ? 1 : 0;
    }
    for (k = starts.length - 1; k >= 0; k--) {
      p = starts[k];
      if (!this.subdomainAt(p)) continue;
      var nx = this.runEnd[p] + 1;
      if (nx < n && this.subdomainAt(nx) && this.far[nx] >= 0) this.far[p] = this.far[nx];
      else if (!this.runUnderscore[p] && this.tldAt(nx) >= 0) this.far[p] = p;
    }
  }

  Scanner.prototype.subdomainAt = function (p) {
    var s = this.s;
    if (p >= s.length) return false;
    var end = this.runEnd[p];
    return isURLChar(s.codePointAt(p)) && this.runLastC[p] === 1 && end < s.length && s.charCodeAt(end) === 0x2e;
  };

  Scanner.prototype.matchAt = function (i) {
    var s = this.s, m;
    if (i < s.length) {
      var r = s.codePointAt(i);
      if (validPrecedingRune(r) && (m = this.matchURL(i + cpSize(r), r))) return m;
    }
    if (i === 0 && (m = this.matchURL(0, -1))) return m;
    return null;
  };

  Scanner.prototype.matchURL = function (j, preceding) {
    var m = { url: j, host: 0, hostEnd: 0, end: 0, protocol: false, precede: preceding };
    var n = protocolLength(this.s, j);
    if (n > 0) {
      m.protocol = true;
      if (this.matchAfterProtocol(m, j + n)) return m;
      m.protocol = false;
    }
    return this.matchAfterProtocol(m, j) ? m : null;
  };

  Scanner.prototype.matchAfterProtocol = function (m, k) {
    var s = this.s, end = this.domain(k);
    if (end < 0) return false;
    m.host = k;
    m.hostEnd = end;
    if (end + 1 < s.length && s.charCodeAt(end) === 0x3a && isDigitC(s.charCodeAt(end + 1))) {
      end++;
      while (end < s.length && isDigitC(s.charCodeAt(end))) end++;
    }
    if (end < s.length && s.charCodeAt(end) === 0x2f) end = this.path(end + 1);
    if (end < s.length && s.charCodeAt(end) === 0x3f) {
      var q = queryEnd(s, end + 1);
      if (q > end + 1) end = q;
    }
    m.end = end;
    return true;
  };

  Scanner.prototype.domain = function (k) {
    var s = this.s;
    if (k < s.length && this.subdomainAt(k) && this.far[k] >= 0) return this.tldAt(this.runEnd[this.far[k]] + 1);
    if (!hasProtocolBefore(s, k)) return -1;
    // After a protocol: one label of anything but punctuation and spaces.
    var p = k, first = -1, last = -1;
    while (p < s.length) {
      var r = s.codePointAt(p);
      if (r !== 0x2d && !isUnicodeDomainRune(r)) break;
      if (first < 0) first = r;
      last = r;
      p += cpSize(r);
    }
    if (first < 0 || first === 0x2d || last === 0x2d || p >= s.length || s.charCodeAt(p) !== 0x2e) return -1;
    return matchTLD(s, p + 1, false);
  };

  Scanner.prototype.tldAt = function (p) {
    if (this.tld.has(p)) return this.tld.get(p);
    var e = matchTLD(this.s, p, true);
    this.tld.set(p, e);
    return e;
  };

  Scanner.prototype.path = function (p) {
    var s = this.s, good = p;
    while (p < s.length) {
      var r = s.codePointAt(p);
      if (r === 0x28) {
        var e = balancedParens(s, p);
        if (e < 0) return good;
        p = good = e;
      } else if (isPathRune(r)) {
        p += cpSize(r);
        if (isPathEndingRune(r)) good = p;
      } else {
        return good;
      }
    }
    return good;
  };

  function balancedParens(s, p) {
    var q = generalRun(s, p + 1);
    if (q < s.length && s.charCodeAt(q) === 0x29 && q > p + 1) return q + 1;
    if (q < s.length && s.charCodeAt(q) === 0x28) {
      var inner = generalRun(s, q + 1);
      if (inner > q + 1 && inner < s.length && s.charCodeAt(inner) === 0x29) {
        var after = generalRun(s, inner + 1);
        if (after < s.length && s.charCodeAt(after) === 0x29) return after + 1;
      }
    }
    return -1;
  }

  function generalRun(s, p) {
    while (p < s.length) {
      var r = s.codePointAt(p);
      if (!isPathRune(r)) break;
      p += cpSize(r);
    }
    return p;
  }

  function queryEnd(s, p) {
    var good = p;
    for (; p < s.length && inSet(QUERY_CHARS, s.charCodeAt(p)); p++) {
      if (inSet(QUERY_ENDING, s.charCodeAt(p))) good = p + 1;
    }
    return good;
  }

  Scanner.prototype.accept = function (m) {
    if (!m.protocol && m.precede >= 0 && '-_./'.indexOf(String.fromCodePoint(m.precede)) >= 0) return null;
    var url = this.s.slice(m.url, m.end);
    var t = tcoPrefix(url);
    if (t) {
      if (t.slug > MAX_TCO_SLUG) return null;
      url = url.slice(0, t.n);
    }
    if (!validHostAndLength(url.length, m.protocol, this.s.slice(m.host, m.hostEnd))) return null;
    return { start: m.url, end: m.url + url.length };
  };

  function tcoPrefix(url) {
    var p = protocolLength(url, 0);
    if (p === 0 || !foldAt(url, p, 't.co/')) return null;
    var start = p + 5, e = start;
    while (e < url.length && isAlnumC(url.charCodeAt(e))) e++;
    if (e === start) return null;
    var n = e;
    if (e < url.length && url.charCodeAt(e) === 0x3f) {
      var q = queryEnd(url, e + 1);
      if (q > e + 1) n = q;
    }
    return { n: n, slug: e - start };
  }

  // validHostAndLength: every label of the host 1 to 63 characters once
  // punycode-encoded, and the URL at most 4,096 UTF-16 units with its ASCII
  // host and a protocol.
  function validHostAndLength(urlLen, protocol, host) {
    if (host === '') return false;
    var labels = host.split(/[.\u3002\uff0e\uff61]/).filter(function (l) { return l !== ''; });
    var asciiLen = 0;
    for (var i = 0; i < labels.length; i++) {
      var label = labels[i], n = utf8Length(label);
      if (!isASCII(label)) {
        var enc = punycode(label.toLowerCase().normalize('NFC'));
        if (enc === null) return false;
        n = 4 + enc.length;
      }
      if (n === 0 || n > MAX_LABEL) return false;
      if (i > 0) asciiLen++;
      asciiLen += n;
    }
    var length = urlLen + asciiLen - host.length;
    if (!protocol) length += 8;
    return length <= MAX_URL_LENGTH;
  }

  // foldAt reports whether s holds prefix, an ASCII string, at j, ignoring
  // ASCII case.
  function foldAt(s, j, prefix) {
    if (j < 0 || j + prefix.length > s.length) return false;
    for (var k = 0; k < prefix.length; k++) {
      if (lowerC(s.charCodeAt(j + k)) !== prefix.charCodeAt(k)) return false;
    }
    return true;
  }

  function protocolLength(s, j) {
    if (foldAt(s, j, 'https://')) return 8;
    if (foldAt(s, j, 'http://')) return 7;
    return 0;
  }

  function hasProtocolBefore(s, k) { return foldAt(s, k - 7, 'http://') || foldAt(s, k - 8, 'https://'); }

  function matchTLD(s, p, punycodeOK) {
    if (p >= s.length) return -1;
    if (s.charCodeAt(p) < 0x80) {
      var q = p;
      while (q < s.length && (isAlnumC(s.charCodeAt(q)) || s.charCodeAt(q) === 0x2d)) q++;
      if (q > p && !tldBlocked(s, q) && ASCII_TLDS.has(s.slice(p, q).toLowerCase())) return q;
      if (punycodeOK && q > p + 4 && foldAt(s, p, 'xn--')) return q;
      return -1;
    }
    for (var i = 0; i < UNICODE_TLDS.length; i++) {
      var t = UNICODE_TLDS[i];
      if (s.startsWith(t, p) && !tldBlocked(s, p + t.length)) return p + t.length;
    }
    return -1;
  }

  function tldBlocked(s, q) {
    if (q >= s.length) return false;
    var c = s.charCodeAt(q);
    return isAlnumC(c) || c === 0x40 || c === 0x2b || c === 0x2d;
  }

  // punycode encodes a label as RFC 3492 Punycode, without "xn--"; null
  // when it would overflow. Only its length matters.
  function punycode(label) {
    var BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, MAXINT = 2147483647;
    var runes = Array.from(label, function (c) { return c.codePointAt(0); });
    var out = '', basic = 0;
    runes.forEach(function (r) { if (r < 0x80) { out += String.fromCharCode(r); basic++; } });
    var h = basic;
    if (basic > 0) out += '-';
    var n = 128, delta = 0, bias = 72;
    function adapt(d, points, first) {
      d = first ? Math.floor(d / DAMP) : Math.floor(d / 2);
      d += Math.floor(d / points);
      var k = 0;
      while (d > ((BASE - TMIN) * TMAX) >> 1) { d = Math.floor(d / (BASE - TMIN)); k += BASE; }
      return k + Math.floor((BASE - TMIN + 1) * d / (d + SKEW));
    }
    function digit(d) { return String.fromCharCode(d < 26 ? 97 + d : 22 + d); }
    while (h < runes.length) {
      var m = MAXINT;
      runes.forEach(function (r) { if (r >= n && r < m) m = r; });
      if (m - n > Math.floor((MAXINT - delta) / (h + 1))) return null;
      delta += (m - n) * (h + 1);
      n = m;
      for (var i = 0; i < runes.length; i++) {
        var r = runes[i];
        if (r < n && ++delta > MAXINT - 1) return null;
        if (r !== n) continue;
        var q = delta;
        for (var k = BASE; ; k += BASE) {
          var t = Math.min(Math.max(k - bias, TMIN), TMAX);
          if (q < t) break;
          out += digit(t + (q - t) % (BASE - t));
          q = Math.floor((q - t) / (BASE - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === basic);
        delta = 0;
        h++;
      }
      delta++;
      n++;
    }
    return out;
  }

  // ---- SMS: GSM-7 or UCS-2 segments ----

  var GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x00ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
  var GSM_EXTENSION = '\f^{}\\[~]|€';
  var GSM_COST = new Map();
  Array.from(GSM_BASIC).forEach(function (c) { if (c !== '\x00') GSM_COST.set(c.codePointAt(0), 1); });
  Array.from(GSM_EXTENSION).forEach(function (c) { GSM_COST.set(c.codePointAt(0), 2); });

  // segments says how text travels as SMS, as sms.Segments does: its
  // encoding, how many segments, how many units each holds, its length in
  // those units, and how many are left in the last segment.
  function segments(text) {
    var gsm = true, septets = 0, codeUnits = 0, runes = [];
    for (var i = 0; i < text.length;) {
      var r = text.codePointAt(i);
      i += cpSize(r);
      runes.push(r);
      if (gsm) {
        var c = GSM_COST.get(r) || 0;
        if (c > 0) septets += c; else gsm = false;
      }
      codeUnits += cpSize(r);
    }
    var enc = gsm ? 'GSM-7' : 'UCS-2', units = gsm ? septets : codeUnits;
    var single = gsm ? 160 : 70, multi = gsm ? 153 : 67;
    if (units === 0) return { encoding: enc, segments: 0, perSegment: single, units: 0, left: single, utf16: codeUnits };
    if (units <= single) return { encoding: enc, segments: 1, perSegment: single, units: units, left: single - units, utf16: codeUnits };
    // A character that does not fit whole in what is left of a segment
    // starts the next.
    var n = 1, used = 0;
    runes.forEach(function (r) {
      var c = gsm ? GSM_COST.get(r) : cpSize(r);
      if (used + c > multi) { n++; used = 0; }
      used += c;
    });
    return { encoding: enc, segments: n, perSegment: multi, units: units, left: multi - used, utf16: codeUnits };
  }

  // ---- Graphemes, code points, bytes ----

  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter('en', { granularity: 'grapheme' }) : null;

  // graphemes counts extended grapheme clusters; a browser without
  // Intl.Segmenter counts code points, which is never fewer. Two printable
  // ASCII characters side by side are always two clusters, so only the
  // stretches around anything else go through the segmenter.
  function graphemes(s) {
    if (!segmenter) return codePoints(s);
    var n = 0, from = 0, to = 0, open = false, re = /[^\x20-\x7e]+/g;
    for (var m = re.exec(s); m; m = re.exec(s)) {
      var a = Math.max(m.index - 1, 0), b = Math.min(re.lastIndex + 1, s.length);
      if (open && a < to) { to = b; continue; }
      if (open) n += clusters(s, from, to);
      n += a - to;
      from = a;
      to = b;
      open = true;
    }
    if (open) n += clusters(s, from, to);
    return n + s.length - to;
  }

  // clusters counts the clusters of s[from:to]. Some engines' segmenters
  // take time quadratic in the length of what they are given (V8 as Node
  // 20 ships it), so a long stretch is cut where a boundary is certain
  // whatever surrounds it: before a letter, digit, punctuation, symbol or
  // space that extends nothing, after a character nothing extends into.
  function clusters(s, from, to) {
    var n = 0, start = from;
    for (var i = from; i < to;) {
      var r = s.codePointAt(i);
      if (i - start >= 256 && boundaryBefore(s, i, r)) {
        n += segmentCount(s.slice(start, i));
        start = i;
      }
      i += cpSize(r);
    }
    return n + segmentCount(s.slice(start, to));
  }

  function segmentCount(s) {
    var n = 0;
    for (var it = segmenter.segment(s)[Symbol.iterator](), r = it.next(); !r.done; r = it.next()) n++;
    return n;
  }

  var PLAIN = /[\p{L}\p{N}\p{P}\p{S}\p{Zs}]/u, MARK_OR_FORMAT = /[\p{M}\p{Cf}]/u;
  // Letters that are Grapheme_Cluster_Break=Prepend (the others are Cf).
  var PREPEND = [0x0d4e, 0x111c2, 0x111c3, 0x1193f, 0x11941, 0x11a3a, 0x11a84, 0x11a85, 0x11a86, 0x11a87, 0x11a88, 0x11a89,
    0x11d46, 0x11f02];

  function jamo(r) { return (r >= 0x1100 && r <= 0x11ff) || (r >= 0xa960 && r <= 0xa97f) || (r >= 0xd7b0 && r <= 0xd7ff); }

  // boundaryBefore reports whether UAX #29 breaks before r at i in s
  // whatever comes before i-1 or after i: r is no Extend, SpacingMark, ZWJ,
  // regional indicator or jamo, and the character before it no mark,
  // format character (ZWJ, a virama's conjunct), jamo or Prepend.
  function boundaryBefore(s, i, r) {
    if (!PLAIN.test(String.fromCodePoint(r)) || jamo(r) || (r >= 0x1f1e6 && r <= 0x1f1ff) || (r >= 0x1f3fb && r <= 0x1f3ff) ||
        r === 0xff9e || r === 0xff9f || r === 0x0e33 || r === 0x0eb3) return false;
    var p = lastRune(s, i);
    return !MARK_OR_FORMAT.test(String.fromCodePoint(p)) && !jamo(p) && PREPEND.indexOf(p) < 0;
  }

  function codePoints(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  function utf8Length(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }

  // ---- Mastodon ----

  var MASTODON_URL = 23, MENTION_RESERVE = 1 + 30 + 1;
  var SCHEMES = ['https://', 'http://', 'gemini://', 'gopher://', 'dweb://', 'ipfs://', 'ipns://', 'dat://', 'ssb://'];
  var LETTER = /\p{L}/u, DIGIT = /\p{Nd}/u, MN = /\p{Mn}/u, SPACE = /\p{White_Space}/u, WORD = /[\p{L}\p{M}\p{Nd}\p{Pc}]/u;
  function is(re, r) { return r >= 0 && re.test(String.fromCodePoint(r)); }

  // mastodon returns Mastodon's count of a reply and how many mentions it
  // holds, as the Mastodon adapter's replyLength does.
  function mastodon(text) {
    var out = '', mentions = 0, prev = -1;
    for (var i = 0; i < text.length;) {
      var c = text.charCodeAt(i) | 0x20, end = -1, r;
      // Only a scheme or a mention can start here.
      if (c === 0x68 || c === 0x67 || c === 0x64 || c === 0x69 || c === 0x73) end = mastodonURL(text, i, prev);
      if (end >= 0) {
        out += 'x'.repeat(MASTODON_URL);
      } else if (c === 0x60) {
        var mt = mention(text, i, prev);
        if (mt) {
          out += '@' + mt.user;
          mentions++;
          end = mt.end;
        }
      }
      if (end >= 0) {
        r = lastRune(text, end);
        prev = r;
        i = end;
        continue;
      }
      r = text.codePointAt(i);
      out += String.fromCodePoint(r);
      prev = r;
      i += cpSize(r);
    }
    return { length: graphemes(out), mentions: mentions };
  }

  function lastRune(s, end) {
    var c = s.charCodeAt(end - 1);
    if (c >= 0xdc00 && c <= 0xdfff && end >= 2) return s.codePointAt(end - 2);
    return c;
  }

  function mastodonURL(text, i, prev) {
    if (i + 6 > text.length || !urlPreceding(prev)) return -1;
    var j = -1;
    for (var k = 0; k < SCHEMES.length; k++) {
      if (foldAt(text, i, SCHEMES[k])) { j = i + SCHEMES[k].length; break; }
    }
    if (j < 0) return -1;
    var hostStart = j;
    while (j < text.length) {
      var r = text.codePointAt(j);
      if (r !== 0x2e && r !== 0x2d && r !== 0x5f && !is(LETTER, r) && !is(DIGIT, r) && !is(MN, r)) break;
      j += cpSize(r);
    }
    var host = text.slice(hostStart, j).replace(/[.\-_]+$/, '');
    j = hostStart + host.length;
    var dot = host.lastIndexOf('.');
    if (dot <= 0 || host.indexOf('..') >= 0) return -1;
    var tld = host.slice(dot + 1);
    if (!foldAt(tld, 0, 'xn--') && (codePoints(tld) < 2 || !Array.from(tld).every(function (c) { return LETTER.test(c); }))) return -1;
    if (j < text.length && text.charCodeAt(j) === 0x3a) {
      var q = j + 1;
      while (q < text.length && isDigitC(text.charCodeAt(q))) q++;
      if (q > j + 1) j = q;
    }
    if (j < text.length && (text.charCodeAt(j) === 0x2f || text.charCodeAt(j) === 0x3f)) {
      var e = j, depth = 0;
      scan: while (e < text.length) {
        var c = text.codePointAt(e);
        switch (true) {
          case is(SPACE, c) || c === 0x3c || c === 0x3e || c === 0x22 || c < 0x20: break scan;
          case c === 0x28: depth++; break;
          case c === 0x29:
            if (depth === 0) break scan;
            depth--;
        }
        e += cpSize(c);
      }
      while (e > j + 1) {
        var last = lastRune(text, e);
        if ('.,;:!?\'*~|@$%[]「」'.indexOf(String.fromCodePoint(last)) < 0) break;
        e -= cpSize(last);
      }
      j = e;
    }
    return j;
  }

  function urlPreceding(r) {
    if (r < 0) return true;
    return !((r < 0x80 && isAlnumC(r)) || r === 0x40 || r === 0xff20 || r === 0x24 || r === 0x23 || r === 0xff03);
  }

  function mention(text, i, prev) {
    if (text.charCodeAt(i) !== 0x40 || prev === 0x3d || prev === 0x2f || is(WORD, prev)) return null;
    var j = i + 1;
    var u = dottedRun(text, j, function (r) { return r < 0x80 && (isAlnumC(r) || r === 0x5f); });
    if (u === 0) return null;
    var user = text.slice(j, j + u);
    j += u;
    if (j < text.length && text.charCodeAt(j) === 0x40) {
      var d = dottedRun(text, j + 1, function (r) { return is(WORD, r); });
      if (d > 0) {
        if (utf8Length(text.slice(j + 1, j + 1 + d)) > 253) return null;
        j += 1 + d;
      }
    }
    if (j < text.length) {
      var r = text.codePointAt(j);
      if (r === 0x40 || r === 0xff20 || isLatinAccent(r) || text.startsWith('://', j)) return null;
    }
    return { user: user, end: j };
  }

  function dottedRun(text, i, inWord) {
    var end = i, j = i;
    for (;;) {
      var k = j;
      while (k < text.length) {
        var r = text.codePointAt(k);
        if (!inWord(r)) break;
        k += cpSize(r);
      }
      if (k === j) return end - i;
      end = j = k;
      while (j < text.length && (text.charCodeAt(j) === 0x2e || text.charCodeAt(j) === 0x2d)) j++;
      if (j === k) return end - i;
    }
  }

  // ---- Measuring a reply against its rule ----

  function fmt(n) { return n.toLocaleString('en-US'); }
  function plural(n, one, many) { return fmt(n) + ' ' + (n === 1 ? one : many); }

  // measure counts text by a rule ({unit, limit, bytes, name, hint}, from
  // the form) and says what to show: label (the counter), state ('', 'near'
  // or 'over'), and, when the platform would refuse the text, reason, which
  // says what to do.
  function measure(rule, text) {
    var limit = rule.limit, name = rule.name || 'This channel', hint = rule.hint || 'Shorten it.';
    var n, label, how = '';
    switch (rule.unit) {
      case 'x':
        var w = weigh(text);
        if (w.invalid) {
          return over(w.length, limit, 'X refuses the invisible characters U+FEFF, U+FFFE and U+FFFF in posts: remove them.');
        }
        n = w.length;
        how = ' (links count 23, most Chinese, Japanese and Korean characters and emoji count 2)';
        break;
      case 'sms':
        var sg = segments(text);
        if (sg.utf16 > limit) {
          return over(sg.utf16, limit, 'Too long by ' + fmt(sg.utf16 - limit) + ': an SMS message holds at most ' + fmt(limit) +
            ' characters (an emoji counts 2). ' + hint);
        }
        var parts = plural(sg.segments, 'segment', 'segments') + ' · ' + fmt(sg.left) + ' left';
        label = sg.encoding === 'GSM-7' ? parts + ' (GSM-7)' : 'UCS-2: ' + parts;
        return { n: sg.utf16, limit: limit, label: label, state: sg.utf16 > limit * 0.9 ? 'near' : '', reason: '' };
      case 'mastodon':
        var md = mastodon(text);
        n = md.length;
        how = ' (a link counts 23)';
        if (md.mentions === 0) {
          n += MENTION_RESERVE;
          how = " (a link counts 23), with the customer's @mention that Parley adds";
        }
        break;
      case 'graphemes':
        n = graphemes(text);
        how = ' characters (an emoji counts 1)';
        break;
      case 'bytes':
        n = utf8Length(text);
        label = fmt(n) + ' / ' + fmt(limit) + ' bytes';
        how = ' bytes';
        break;
      default:
        n = codePoints(text);
        how = ' characters';
    }
    label = label || fmt(n) + ' / ' + fmt(limit);
    if (n > limit) {
      return over(n, limit, 'Too long by ' + fmt(n - limit) + ': ' + name + ' allows ' + fmt(limit) + how + '. ' + hint, label);
    }
    if (rule.bytes > 0) {
      var b = utf8Length(text);
      if (b > rule.bytes) {
        return over(n, limit, 'Too long: ' + name + ' allows ' + fmt(rule.bytes) + ' bytes; this has ' + fmt(b) + '. ' + hint, label);
      }
    }
    return { n: n, limit: limit, label: label, state: n > limit * 0.9 ? 'near' : '', reason: '' };
  }

  function over(n, limit, reason, label) {
    return { n: n, limit: limit, label: label || fmt(n) + ' / ' + fmt(limit), state: 'over', reason: reason };
  }

  // ---- The counter on a form ----

  function ruleOf(form) {
    var radio = form.querySelector('input[name=visibility]:checked');
    var src = radio && radio.dataset.unit ? radio : form;
    return { unit: src.dataset.unit, limit: Number(src.dataset.limit) || Infinity, bytes: Number(src.dataset.bytes) || 0,
      name: form.dataset.channelName || '', hint: src.dataset.hint || '', quiet: 'quiet' in src.dataset };
  }

  // attach keeps a form's counter up to date and its send button disabled
  // while the text is over the limit; a submit that gets past the button
  // (Ctrl+Enter) is held back too.
  function attach(form) {
    var text = form.querySelector('textarea[name=text]');
    var counter = form.querySelector('.counter');
    var msg = form.querySelector('.count-msg');
    var send = form.querySelector('button.send');
    if (!text || !counter) return;
    var blocked = false;
    function update() {
      var rule = ruleOf(form);
      var m = measure(rule, text.value);
      // A quiet rule (Parley's own limit, far above any reply) shows
      // itself only near the limit.
      counter.textContent = rule.quiet && !m.state ? '' : m.label;
      counter.dataset.state = m.state;
      blocked = m.state === 'over';
      if (msg) {
        msg.textContent = m.reason;
        msg.hidden = !blocked;
      }
      if (send) {
        send.disabled = blocked;
        send.title = blocked ? m.reason : '';
      }
      text.setAttribute('aria-invalid', blocked ? 'true' : 'false');
    }
    text.addEventListener('input', update);
    form.addEventListener('change', update);
    form.addEventListener('submit', function (e) {
      if (blocked && (!e.submitter || e.submitter === send)) e.preventDefault();
    });
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-unit]'), attach);

  window.ParleyCount = {
    x: function (text) { return weigh(text); },
    sms: segments,
    mastodon: mastodon,
    graphemes: graphemes,
    codePoints: codePoints,
    bytes: utf8Length,
    measure: measure,
  };
})();
