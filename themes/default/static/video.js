// Hearth's video session room (templates/video_room.html).
//
// Phases, one visible at a time; body[data-call-state] says which: "check"
// tests camera, microphone, speaker and network before joining;
// "admission" while a guest waits for the professional to let them in;
// "waiting" until someone else is there; the call ("connected", or
// "reconnecting" while the signalling socket or the media path recovers);
// "ended" (#phase-ended[data-reason]: "left", "ended" or "removed").
// The room's parties are the client, the professional and, in couples and
// family sessions, up to three guests the client invited: a guest hears
// nothing of the room until the professional admits them, and meanwhile
// the professional (and, read only, the client) sees them in #guest-lobby.
// Media flows peer to peer, or through the hub's TURN relay: one
// RTCPeerConnection per other participant, negotiated with the "perfect
// negotiation" pattern over the session's WebSocket, which also relays the
// chat (nothing is stored). Every word shown comes from the page
// (#video-texts' data attributes), so the catalogue's languages apply.
// The end-to-end tests read window.hearthCall, body[data-call-state], the
// check items' data-state and #device-guidance[data-problem].
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const room = $('video-room');
  const textsEl = $('video-texts');
  if (!room || !textsEl) { return; }
  const T = textsEl.dataset;
  /** The page's text `key`, with `%1` replaced by `value`. */
  const say = (key, value) => (T[key] || '').split('%1').join(value == null ? '' : String(value));
  const noop = () => {};
  const warn = (what, error) => console.warn('hearth video: ' + what, error === undefined ? '' : error);

  const signalPath = room.dataset.signalPath || '';
  // For a guest, the professional: the one who lets them in.
  const otherName = room.dataset.otherName || '';
  const party = room.dataset.party || 'client';
  const isGuest = party === 'guest';
  // Whose arrival is "the other person is here": the client and the
  // professional count only each other, a guest counts the professional.
  const counterpart = party === 'professional' ? 'client' : 'professional';

  const els = {
    status: $('call-status'),
    phases: { check: $('phase-check'), waiting: $('phase-waiting'), call: $('phase-call'), ended: $('phase-ended') },
    preview: $('preview'), previewBox: $('preview-box'),
    meter: $('mic-level'), testSound: $('test-sound'), testAudio: $('test-audio'),
    devices: $('device-settings'), cameraSelect: $('camera-select'), micSelect: $('mic-select'),
    speakerSelect: $('speaker-select'), speakerField: $('speaker-field'),
    guidance: $('device-guidance'), retryWrap: $('retry-wrap'), retry: $('retry-devices'),
    join: $('join'),
    checkHeading: $('check-h'), guestNote: $('guest-note'),
    waitingHeading: $('waiting-h'), waitingHint: $('waiting-hint'),
    waitingPreview: $('waiting-preview'), waitingSelf: $('waiting-self'), leave: $('leave'),
    lobby: $('guest-lobby'), lobbyList: $('guest-waiting'),
    tiles: $('remote-tiles'), primaryTile: $('remote-tile'),
    localVideo: $('local-video'), selfTile: $('self-tile'), localBadges: $('local-badges'),
    mic: $('mute'), camera: $('camera-off'), share: $('share-screen'),
    devicesToggle: $('devices-toggle'), devicesPanel: $('devices-panel'),
    quality: $('quality'), qualityText: $('quality-text'), end: $('end-call'),
    chatForm: $('chat-form'), chatInput: $('chat-input'), chatLog: $('chat-log'),
    endedHeading: $('ended-h'), rejoin: $('rejoin'),
  };

  // The waiting room's own wording, for when a guest's wait for admission is over.
  const waitingText = { heading: els.waitingHeading.textContent, hint: els.waitingHint ? els.waitingHint.textContent : '' };

  // The test hooks, kept up to date.
  const call = { peers: new Map(), state: 'check', ws: null, party, admitted: !isGuest };
  window.hearthCall = call;
  document.body.dataset.callState = 'check';

  const media = navigator.mediaDevices;
  const supported = !!(window.RTCPeerConnection && window.MediaStream && media && media.getUserMedia);
  const sinkSupported = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  const shareSupported = !!(media && media.getDisplayMedia);

  // Own camera and microphone. The stream object never changes (the senders
  // keep its id, so the other side sees one stream); its tracks do.
  const local = supported ? new MediaStream() : null;
  const audioTrack = () => (local && local.getAudioTracks()[0]) || null;
  const cameraTrack = () => (local && local.getVideoTracks()[0]) || null;
  const chosen = { audio: '', video: '' };
  let micOn = true;
  let camOn = true;
  let screenTrack = null;
  let sinkId = '';

  // The room: other participants by peer id, and the signalling socket.
  const peers = new Map();
  const replaced = new Set();
  // Guests waiting to be let in, by guest id: { guest, peer, name, li, pending, timer, confirmed }.
  const lobby = new Map();
  // Guests let in whose "joined" has not come yet.
  const letIn = new Set();
  const outbox = [];
  let myId = null;
  // A guest's own id, and whether the professional has let them in (the
  // client and the professional always are).
  let myGuest = room.dataset.guestId || null;
  let admitted = !isGuest;
  let justLetIn = false;
  let ice = null;
  let ws = null;
  let welcomed = false;
  let everWelcomed = false;
  let attempts = 0;
  let reconnectTimer = 0;
  let connectTimer = 0;
  let lastHeard = 0;
  let joined = false;
  let ended = false;
  let endedReason = '';
  let leaving = false;
  let networkChecked = false;

  // ---------------------------------------------------------------- status

  let announceTimer = 0;
  let kept = '';
  let keptUntil = 0;
  /**
   * Says `message` once through the page's one polite live region. A later
   * message replaces it, unless it is one to `keep` (being let in, a guest
   * waiting): the news that follows within two seconds is added to it.
   */
  function announce(message, keep) {
    if (!message) { return; }
    const now = Date.now();
    const text = now < keptUntil && kept !== message ? kept + ' ' + message : message;
    if (keep) { kept = message; keptUntil = now + 2000; }
    clearTimeout(announceTimer);
    els.status.textContent = '';
    announceTimer = setTimeout(() => { els.status.textContent = text; }, 50);
  }

  function setCheck(name, state, key, value) {
    const item = $('check-' + name);
    item.dataset.state = state;
    item.querySelector('.check-text').textContent = say(key, value);
  }

  function showGuidance(problem, key) {
    const box = els.guidance;
    if (!problem) {
      box.removeAttribute('data-problem');
      box.textContent = '';
      els.retryWrap.hidden = true;
      return;
    }
    box.dataset.problem = problem;
    box.textContent = say(key);
    els.retryWrap.hidden = problem === 'unsupported';
  }

  // ----------------------------------------------------------- local media

  function problemOf(error) {
    switch (error && error.name) {
      case 'NotAllowedError': case 'SecurityError': case 'PermissionDeniedError':
        return 'denied';
      case 'NotFoundError': case 'OverconstrainedError': case 'DevicesNotFoundError': case 'ConstraintNotSatisfiedError':
        return 'no-device';
      default:
        return 'in-use';
    }
  }

  function constraint(kind) {
    const c = kind === 'video'
      ? { width: { ideal: 1280 }, height: { ideal: 720 } }
      : { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    if (chosen[kind]) { c.deviceId = { exact: chosen[kind] }; }
    return c;
  }

  /** getUserMedia for `kinds`; a device that is gone falls back to the default one. */
  async function grab(kinds) {
    const want = {};
    kinds.forEach((k) => { want[k] = constraint(k); });
    try {
      return { stream: await media.getUserMedia(want) };
    } catch (error) {
      if (error && error.name === 'OverconstrainedError' && kinds.some((k) => chosen[k])) {
        kinds.forEach((k) => { chosen[k] = ''; });
        return grab(kinds);
      }
      return { error };
    }
  }

  function take(stream) {
    stream.getTracks().forEach((track) => {
      const old = track.kind === 'audio' ? audioTrack() : cameraTrack();
      if (old) { old.stop(); local.removeTrack(old); }
      track.enabled = track.kind === 'audio' ? micOn : camOn;
      local.addTrack(track);
    });
  }

  const deviceLabel = (track) => track.label || '';

  let starting = false;
  /** Starts camera and microphone (again), and reports how that went. */
  async function startMedia() {
    if (starting || joined || ended) { return; }
    starting = true;
    els.join.disabled = true;
    showGuidance(null);
    setCheck('camera', 'pending', 'checkCameraPending');
    setCheck('mic', 'pending', 'checkMicPending');
    local.getTracks().forEach((t) => { t.stop(); local.removeTrack(t); });

    const both = await grab(['audio', 'video']);
    let audioError = null;
    let videoError = null;
    if (both.stream) {
      take(both.stream);
    } else if (problemOf(both.error) === 'denied') {
      audioError = both.error;
      videoError = both.error;
    } else {
      // One of them may work alone: no camera, or a camera busy in another app.
      const a = await grab(['audio']);
      if (a.stream) { take(a.stream); } else { audioError = a.error; }
      const v = await grab(['video']);
      if (v.stream) { take(v.stream); } else { videoError = v.error; }
    }
    if (ended || joined) { starting = false; return; }

    const audio = audioTrack();
    const video = cameraTrack();
    if (video) {
      setCheck('camera', 'ok', 'checkCameraOk', deviceLabel(video) || say('cameraN', 1));
    } else {
      setCheck('camera', 'fail', problemOf(videoError) === 'no-device' ? 'checkCameraMissing' : 'checkCameraFail');
    }
    if (audio) {
      setCheck('mic', 'ok', 'checkMicOk', deviceLabel(audio) || say('microphoneN', 1));
    } else {
      setCheck('mic', 'fail', problemOf(audioError) === 'no-device' ? 'checkMicMissing' : 'checkMicFail');
    }

    let problem = null;
    let key = null;
    if (!audio && !video) {
      problem = problemOf(both.error || audioError || videoError);
      key = { denied: 'guidanceDenied', 'no-device': 'guidanceNoDevice', 'in-use': 'guidanceInUse' }[problem];
    } else if (!video || !audio) {
      problem = problemOf(video ? audioError : videoError);
      if (problem === 'no-device') { key = video ? 'guidanceNoMic' : 'guidanceNoCamera'; }
      else { key = problem === 'denied' ? 'guidanceDenied' : 'guidanceInUse'; }
    }
    showGuidance(problem, key);
    // With only a microphone (or only a camera) one can still join; never
    // while the browser refuses permission.
    els.join.disabled = !(audio || video) || problem === 'denied';
    if (audio && video) { announce(say('statusReady')); }
    else if (audio && problem !== 'denied') { announce(say('statusReadyAudio')); }

    refreshLocal(true);
    wireMeter();
    await fillDeviceLists();
    starting = false;
  }

  function setOption(select, value, text) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = text;
    select.append(option);
  }

  function fillSelect(select, devices, current, numberKey) {
    const keep = current || select.value;
    select.textContent = '';
    if (!current) { setOption(select, '', say('chooseDevice')); }
    devices.forEach((d, i) => { setOption(select, d.deviceId, d.label || say(numberKey, i + 1)); });
    if ([...select.options].some((o) => o.value === keep)) { select.value = keep; }
    select.disabled = devices.length === 0;
  }

  async function fillDeviceLists() {
    if (!supported || !media.enumerateDevices) { return; }
    let devices = [];
    try { devices = await media.enumerateDevices(); } catch (e) { warn('enumerateDevices', e); return; }
    // Without permission the browser lists nameless devices without ids.
    const of = (kind) => devices.filter((d) => d.kind === kind && d.deviceId);
    const idOf = (track) => (track && track.getSettings ? track.getSettings().deviceId || '' : '');
    const video = cameraTrack();
    const audio = audioTrack();
    fillSelect(els.cameraSelect, of('videoinput'), video ? idOf(video) || els.cameraSelect.value : '', 'cameraN');
    fillSelect(els.micSelect, of('audioinput'), audio ? idOf(audio) || els.micSelect.value : '', 'microphoneN');
    const outputs = of('audiooutput');
    els.speakerField.hidden = !sinkSupported || outputs.length === 0;
    if (sinkSupported && outputs.length) {
      fillSelect(els.speakerSelect, outputs, sinkId || outputs[0].deviceId, 'speakerN');
    }
  }

  let deviceChain = Promise.resolve();
  /** Another camera or microphone, chosen in a select: before or during the call. */
  function chooseDevice(kind) {
    const select = kind === 'audio' ? els.micSelect : els.cameraSelect;
    const id = select.value;
    deviceChain = deviceChain.then(() => switchDevice(kind, id, select)).catch((e) => warn('device switch', e));
  }

  async function switchDevice(kind, deviceId, select) {
    if (ended || select.value !== deviceId || !deviceId) { return; } // a later choice wins
    const old = kind === 'audio' ? audioTrack() : cameraTrack();
    const oldId = old && old.getSettings ? old.getSettings().deviceId || '' : '';
    if (old && oldId === deviceId && old.readyState === 'live') { return; }
    // Phones open one camera at a time: let go of the old one first.
    if (old) { old.stop(); local.removeTrack(old); }
    chosen[kind] = deviceId;
    let got = await grab([kind]);
    if (!got.stream) {
      warn('device ' + deviceId, got.error);
      announce(say('statusDeviceFailed'));
      chosen[kind] = oldId;
      got = await grab([kind]);
    }
    if (ended) { if (got.stream) { got.stream.getTracks().forEach((t) => t.stop()); } return; }
    const track = got.stream ? got.stream.getTracks()[0] : null;
    if (track) { take(got.stream); }
    peers.forEach((p) => useLocalTrack(p, kind, track));
    if (!joined) {
      if (kind === 'audio') {
        if (track) { setCheck('mic', 'ok', 'checkMicOk', deviceLabel(track) || say('microphoneN', 1)); }
        else { setCheck('mic', 'fail', 'checkMicFail'); }
      } else if (track) {
        setCheck('camera', 'ok', 'checkCameraOk', deviceLabel(track) || say('cameraN', 1));
      } else {
        setCheck('camera', 'fail', 'checkCameraFail');
      }
      els.join.disabled = !(audioTrack() || cameraTrack()) || els.guidance.dataset.problem === 'denied';
    }
    if (kind === 'audio') { wireMeter(); }
    refreshLocal(true);
    sendMedia();
    await fillDeviceLists();
  }

  /** Makes `track` (or none) the one peer `p` receives for `kind`. */
  function useLocalTrack(p, kind, track) {
    const pc = p.pc;
    if (!pc || !p.tracksAdded || pc.signalingState === 'closed') { return; } // else they go with the others
    if (kind === 'audio') {
      if (p.audioSender) { p.audioSender.replaceTrack(track).catch((e) => warn('replaceTrack', e)); }
      else if (track) { p.audioSender = pc.addTrack(track, local); }
      return;
    }
    if (screenTrack) { return; } // the shared screen stays; the camera comes back when it ends
    if (p.videoSender) { p.videoSender.replaceTrack(track).catch((e) => warn('replaceTrack', e)); }
    else if (track) { p.videoSender = pc.addTrack(track, local); }
  }

  function setSpeaker(id) {
    sinkId = id;
    const targets = [els.testAudio, ...els.tiles.querySelectorAll('video')];
    targets.forEach((el) => {
      if (el.setSinkId) { el.setSinkId(id).catch((e) => { warn('setSinkId', e); announce(say('statusDeviceFailed')); }); }
    });
  }

  const applySink = (el) => {
    if (sinkSupported && sinkId && el.setSinkId) { el.setSinkId(sinkId).catch((e) => warn('setSinkId', e)); }
  };

  /** Own picture in the check, the waiting room and the call; own badges; the buttons. */
  function refreshLocal(reload) {
    if (!local) { return; }
    [els.preview, els.waitingPreview, els.localVideo].forEach((v) => {
      if (reload || v.srcObject !== local) { v.srcObject = local; }
      if (!v.closest('[hidden]')) { v.play().catch(noop); }
    });
    const picture = !!cameraTrack() && camOn ? 'on' : 'off';
    [els.previewBox, els.waitingSelf, els.selfTile].forEach((box) => { box.dataset.video = picture; });
    setBadges(els.localBadges, [
      (!micOn || !audioTrack()) && 'badgeMicOff',
      (!camOn || !cameraTrack()) && !screenTrack && 'badgeCameraOff',
      screenTrack && 'badgeSharing',
    ]);
    els.mic.setAttribute('aria-pressed', String(!micOn));
    els.mic.disabled = !audioTrack();
    els.camera.setAttribute('aria-pressed', String(!camOn));
    els.camera.disabled = !cameraTrack();
    els.share.setAttribute('aria-pressed', String(!!screenTrack));
  }

  function setBadges(list, keys) {
    list.textContent = '';
    keys.filter(Boolean).forEach((key) => {
      const li = document.createElement('li');
      li.textContent = say(key);
      list.append(li);
    });
  }

  // ------------------------------------------- microphone meter, test sound

  let audioCtx = null;
  let analyser = null;
  let meterSource = null;
  let meterFrame = 0;
  let samples = null;
  let level = 0;

  function audioContext() {
    if (!audioCtx) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return null; }
      try { audioCtx = new Ctx(); } catch (e) { warn('AudioContext', e); return null; }
    }
    if (audioCtx.state === 'suspended') { audioCtx.resume().catch(noop); }
    return audioCtx;
  }
  // Browsers start sound only after a gesture: wake the meter on the first one.
  const wake = () => { if (audioCtx && audioCtx.state === 'suspended') { audioCtx.resume().catch(noop); } };
  document.addEventListener('pointerdown', wake, true);
  document.addEventListener('keydown', wake, true);

  function wireMeter() {
    if (meterSource) { meterSource.disconnect(); meterSource = null; }
    const track = audioTrack();
    const ctx = track && !joined && !ended ? audioContext() : null;
    if (!ctx) { els.meter.value = 0; return; }
    try {
      if (!analyser) { analyser = ctx.createAnalyser(); analyser.fftSize = 1024; }
      meterSource = ctx.createMediaStreamSource(new MediaStream([track]));
      meterSource.connect(analyser);
    } catch (e) { warn('meter', e); return; }
    if (!meterFrame) { meterFrame = requestAnimationFrame(drawMeter); }
  }

  function drawMeter() {
    meterFrame = 0;
    if (!analyser || !meterSource || joined || ended) { return; }
    samples = samples || new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (let i = 0; i < samples.length; i += 1) { sum += samples[i] * samples[i]; }
    const rms = Math.sqrt(sum / samples.length);
    // -60 dB and below is silence, 0 dB is full; the bar falls back slowly.
    const now = rms > 0 ? Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60)) : 0;
    level = Math.max(now, level * 0.9);
    els.meter.value = level;
    meterFrame = requestAnimationFrame(drawMeter);
  }

  function stopMeter() {
    cancelAnimationFrame(meterFrame);
    meterFrame = 0;
    if (meterSource) { meterSource.disconnect(); meterSource = null; }
    els.meter.value = 0;
  }

  let tonePlaying = false;
  async function playTestSound() {
    if (tonePlaying) { return; }
    const ctx = audioContext();
    if (!ctx) { return; }
    tonePlaying = true;
    try {
      await ctx.resume();
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = 660;
      osc.connect(gain);
      const viaElement = sinkSupported && !!ctx.createMediaStreamDestination;
      if (viaElement) {
        // Through an <audio>, so the tone plays on the chosen speaker.
        const dest = ctx.createMediaStreamDestination();
        gain.connect(dest);
        els.testAudio.srcObject = dest.stream;
        if (sinkId) { await els.testAudio.setSinkId(sinkId).catch((e) => warn('setSinkId', e)); }
        els.testAudio.play().catch(noop);
      } else {
        gain.connect(ctx.destination);
      }
      const t0 = ctx.currentTime + 0.05;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.05);
      gain.gain.setValueAtTime(0.25, t0 + 0.9);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 1);
      osc.onended = () => {
        gain.disconnect();
        if (viaElement) { els.testAudio.pause(); els.testAudio.srcObject = null; }
        tonePlaying = false;
      };
      osc.start(t0);
      osc.stop(t0 + 1.05);
    } catch (e) {
      warn('test sound', e);
      tonePlaying = false;
    }
  }

  // ------------------------------------------------------ network check

  function iceConfig() {
    const given = ice && Array.isArray(ice.iceServers) ? ice.iceServers : [];
    const iceServers = given
      .filter((s) => s && s.urls && [].concat(s.urls).length)
      .map((s) => {
        const server = { urls: s.urls };
        if (s.username) { server.username = s.username; }
        if (s.credential) { server.credential = s.credential; }
        return server;
      });
    return { iceServers, iceTransportPolicy: ice && ice.iceTransportPolicy === 'relay' ? 'relay' : 'all' };
  }

  /** Gathers candidates on a throwaway connection: which ways out does this network have? */
  async function checkNetwork() {
    networkChecked = true;
    const config = iceConfig();
    const urls = config.iceServers.reduce((all, s) => all.concat(s.urls), []);
    const hasTurn = urls.some((u) => /^turns?:/i.test(String(u)));
    const counts = { host: 0, srflx: 0, prflx: 0, relay: 0 };
    let pc = null;
    if (window.RTCPeerConnection) {
      try {
        pc = new RTCPeerConnection(config);
        const gathered = new Promise((resolve) => {
          const timer = setTimeout(resolve, 5000);
          const done = () => { clearTimeout(timer); resolve(); };
          pc.onicecandidate = (event) => {
            const c = event.candidate;
            if (!c) { done(); return; }
            const type = c.type || (/ typ (\w+)/.exec(c.candidate || '') || [])[1];
            if (Object.prototype.hasOwnProperty.call(counts, type)) { counts[type] += 1; }
          };
          pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') { done(); } };
        });
        pc.createDataChannel('check');
        await pc.setLocalDescription(await pc.createOffer());
        await gathered;
      } catch (e) {
        warn('network check', e);
      } finally {
        if (pc) { pc.close(); }
      }
    }
    const net = $('check-network');
    net.dataset.host = String(counts.host);
    net.dataset.srflx = String(counts.srflx);
    net.dataset.relay = String(counts.relay);
    const found = counts.host + counts.srflx + counts.prflx + counts.relay;
    if (counts.srflx + counts.relay > 0) { setCheck('network', 'ok', 'checkNetworkOk'); }
    // Only this network's own addresses: expected without STUN or TURN
    // servers, a warning when the configured ones could not be reached.
    else if (found > 0) { setCheck('network', urls.length ? 'fail' : 'ok', 'checkNetworkLocal'); }
    else { setCheck('network', 'fail', 'checkNetworkFail'); }
    if (counts.relay > 0) { setCheck('relay', 'ok', 'checkRelayOk'); }
    else if (hasTurn) { setCheck('relay', 'fail', 'checkRelayFail'); }
    else { setCheck('relay', 'none', 'checkRelayNone'); }
  }

  // -------------------------------------------------------------- socket

  function connect() {
    clearTimeout(reconnectTimer);
    if (ended || leaving) { return; }
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + signalPath
      + (myId ? '?peer=' + encodeURIComponent(myId) : '');
    let socket;
    try { socket = new WebSocket(url); } catch (e) { warn('socket', e); socketLost(); return; }
    ws = socket;
    call.ws = socket;
    welcomed = false;
    clearTimeout(connectTimer);
    connectTimer = setTimeout(() => { if (ws === socket && !welcomed) { dropSocket(); } }, 10000);
    socket.onmessage = (event) => {
      if (ws !== socket) { return; }
      lastHeard = Date.now();
      let msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg && typeof msg.type === 'string') { onSignal(msg); }
    };
    socket.onclose = () => { if (ws === socket) { socketLost(); } };
  }

  /** Gives up on a socket that went quiet, and opens another. */
  function dropSocket() {
    const socket = ws;
    if (!socket) { return; }
    socket.onmessage = null;
    socket.onclose = null;
    try { socket.close(); } catch (e) { /* already closed */ }
    socketLost();
  }

  function socketLost() {
    ws = null;
    welcomed = false;
    clearTimeout(connectTimer);
    if (ended || leaving) { return; }
    if (!everWelcomed) { setCheck('signalling', 'fail', 'checkSignallingFail'); }
    // A guest's socket is refused once their link is withdrawn or the
    // professional declined them while it was down: the page's own address
    // then answers 404 or 410, where a dropped network answers nothing.
    if (isGuest && attempts >= 2) {
      fetch(location.href, { credentials: 'same-origin', cache: 'no-store' })
        .then((r) => { if ((r.status === 404 || r.status === 410) && !ended) { endCall(r.status === 404 ? 'removed' : 'ended'); } })
        .catch(noop);
    }
    const delay = Math.min(5000, 500 * 2 ** attempts);
    attempts += 1;
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, delay);
    updateState();
  }

  function send(msg) {
    if (!ws || !welcomed || ws.readyState !== WebSocket.OPEN) { return false; }
    // A guest the professional has not let in may only ping: the server
    // refuses anything else (error not_admitted).
    if (!admitted && msg.type !== 'ping') { return false; }
    try { ws.send(JSON.stringify(msg)); return true; } catch (e) { warn('send', e); return false; }
  }

  /** Offers, answers and candidates wait for the socket, or the peer away, to come back. */
  function sendToPeer(msg) {
    const p = peers.get(msg.to);
    if (p && !p.away && send(msg)) { return; }
    outbox.push(msg);
    if (outbox.length > 300) { outbox.shift(); }
  }

  /** Sends what waited (for peers still known and here); says whether an offer went. */
  function flushOutbox(which) {
    let offered = false;
    const keep = [];
    outbox.splice(0).forEach((m) => {
      const p = peers.get(m.to);
      if (!p) { return; }
      if (p.away || !which(m) || !send(m)) { keep.push(m); return; }
      if (m.type === 'offer') { offered = true; }
    });
    outbox.push(...keep);
    return offered;
  }

  function sendMedia() {
    if (!joined || ended || !admitted) { return; }
    send({ type: 'media', audio: micOn && !!audioTrack(), video: camOn && !!cameraTrack(), screen: !!screenTrack });
  }

  function onSignal(msg) {
    switch (msg.type) {
      case 'welcome': onWelcome(msg); break;
      case 'joined': onJoined(msg); break;
      case 'left': onLeft(msg.peer); break;
      case 'offer': case 'answer': case 'candidate': onPeerMessage(msg); break;
      case 'chat': onChat(msg); break;
      case 'media': onMedia(msg); break;
      case 'admitted': onAdmitted(msg.guest); break;
      case 'removed': onRemoved(msg.guest); break;
      case 'error': onError(msg.code); break;
      // "removed": this guest was turned away or their link withdrawn.
      case 'closed': endCall(msg.reason === 'removed' ? 'removed' : 'ended'); break;
      default: break; // pong, and anything newer
    }
  }

  function onWelcome(msg) {
    if (typeof msg.peer !== 'string') { return; }
    if (myId && msg.peer !== myId) {
      // A new identity: the others will meet us afresh.
      [...peers.values()].forEach((p) => forgetPeer(p));
      outbox.length = 0;
    }
    const again = everWelcomed;
    myId = msg.peer;
    if (msg.ice) { ice = msg.ice; }
    welcomed = true;
    everWelcomed = true;
    attempts = 0;
    clearTimeout(connectTimer);
    setCheck('signalling', 'ok', 'checkSignallingOk');
    if (!networkChecked) { checkNetwork(); }
    flushOutbox(() => true);
    sendMedia();
    if (isGuest) {
      if (typeof msg.guest === 'string') { myGuest = msg.guest; }
      // A guest reloading after the professional let them in is in at once
      // (and says so with its media state: attendance starts).
      setAdmitted(msg.admitted === true, !again);
    }
    if (again) {
      // Whoever is still here is announced right after the welcome; the
      // others left while this socket was away.
      peers.forEach((p) => { p.confirmed = false; });
      lobby.forEach((w) => { w.confirmed = false; });
      setTimeout(() => {
        peers.forEach((p) => { if (!p.confirmed) { onLeft(p.id); } });
        [...lobby.values()].forEach((w) => { if (!w.confirmed) { dropWaiting(w.guest); } });
      }, 3000);
    }
    updateState();
  }

  /** The same person as the one announced with `role` and `guest`: a guest by their guest id, the others by role. */
  const samePerson = (p, role, guest) => (role === 'guest' ? !!guest && p.guest === guest : !!role && p.role === role);

  /** A participant's name, for tiles, announcements and the chat. */
  const nameOf = (p) => p.name || (p.role === 'guest' ? say('guestUnnamed') : otherName);

  function onJoined(msg) {
    const id = msg.peer;
    if (typeof id !== 'string' || id === myId) { return; }
    const guest = typeof msg.guest === 'string' ? msg.guest : null;
    if (msg.admitted === false) {
      // A guest waiting for the professional: no connection, not "here" yet.
      [...peers.values()].forEach((other) => { if (other.id === id || samePerson(other, 'guest', guest)) { forgetPeer(other, true); } });
      addWaiting(id, guest, msg.name);
      updateState();
      return;
    }
    // Let in: off the waiting list (the professional, who pressed Admit,
    // hears of it only now).
    const wasWaiting = !!dropWaiting(guest) || letIn.delete(guest);
    replaced.delete(id);
    // A new peer who is someone we know: they reloaded the page.
    [...peers.values()].forEach((other) => {
      if (other.id !== id && samePerson(other, msg.role, guest)) { forgetPeer(other, true); }
    });
    let p = peers.get(id);
    const arrived = !p || p.away;
    if (!p) { p = addPeer(id); }
    p.role = msg.role || p.role;
    p.name = msg.name || p.name;
    p.guest = guest || p.guest;
    p.confirmed = true;
    p.away = false;
    clearTimeout(p.awayTimer);
    if (p.tile) { nameTile(p); }
    const offered = flushOutbox((m) => m.to === id);
    const inCall = call.state === 'connected';
    if (joined && admitted) {
      const pc = p.pc;
      if (!pc) { openPeer(p); }
      else if (!offered && pc.signalingState === 'have-local-offer' && pc.localDescription) {
        // Back from a blip: our offer may have gone while they were away.
        sendToPeer({ type: 'offer', to: id, sdp: pc.localDescription.sdp });
      } else if (['failed', 'disconnected'].includes(pc.iceConnectionState)) {
        restartIce(p);
      }
      sendMedia(); // they have not heard it yet
    }
    if (wasWaiting && party === 'professional') {
      announce(say('statusGuestAdmitted', nameOf(p)));
    } else if (arrived && !joined) {
      announce(p.role === counterpart ? say('statusOtherHere') : say('statusPersonHere', nameOf(p)));
    } else if (arrived && inCall) {
      // Someone more in a call already going; the first one's arrival is "The call has started".
      announce(say('statusPersonJoined', nameOf(p)));
    }
    updateState();
  }

  function onLeft(id) {
    const waiting = [...lobby.values()].find((w) => w.peer === id);
    if (waiting) {
      dropWaiting(waiting.guest);
      if (party === 'professional') { announce(say('statusGuestStoppedWaiting', waiting.name)); }
      return;
    }
    const p = peers.get(id);
    if (!p || p.away) { return; }
    // A blip or a reload: keep the connection a while, it may come back.
    p.away = true;
    clearTimeout(p.awayTimer);
    p.awayTimer = setTimeout(() => { forgetPeer(p); updateState(); }, 30000);
    if (joined && p.everConnected) { announce(say('statusAway', nameOf(p))); }
    updateState();
  }

  function onError(code) {
    warn('the server says', code);
    if (code === 'not_admitted' && isGuest) {
      // The server does not count this guest as let in (any more): wait again.
      setAdmitted(false, false);
    } else if (code === 'forbidden' || code === 'malformed') {
      // An Admit or Decline the server refused (the guest is gone, say): the buttons work again.
      lobby.forEach((w) => { if (w.pending) { setPending(w, ''); announce(say('lobbyFailed')); } });
    }
  }

  // ------------------------------------------------------------ admission

  /** A guest let in (`now`) or not; `quiet`: no announcement (the page just opened). */
  function setAdmitted(now, quiet) {
    if (!isGuest || now === admitted) { return; }
    admitted = now;
    call.admitted = now;
    if (!now) {
      // The others cannot be reached through the server until the professional lets us in again.
      [...peers.values()].forEach((p) => forgetPeer(p));
      outbox.length = 0;
      if (els.guestNote) { els.guestNote.textContent = els.guestNote.dataset.text || els.guestNote.textContent; }
      updateState();
      return;
    }
    if (els.guestNote) {
      els.guestNote.dataset.text = els.guestNote.textContent;
      els.guestNote.textContent = say('guestNoteAdmitted');
    }
    if (joined) {
      // The room's participants are announced to us next; say we are in the call.
      justLetIn = !quiet;
      sendMedia();
      peers.forEach((p) => { if (!p.pc && !p.away) { openPeer(p); } });
    } else if (!quiet) {
      announce(say('guestNoteAdmitted'), true);
    }
    updateState();
  }

  function onAdmitted(guest) {
    if (typeof guest !== 'string') { return; }
    if (isGuest) {
      if (guest === myGuest) { setAdmitted(true, false); }
      return;
    }
    // Their "joined" follows, and says it.
    if (dropWaiting(guest)) { letIn.add(guest); }
  }

  function onRemoved(guest) {
    if (typeof guest !== 'string') { return; }
    if (isGuest) {
      // Turned away, or the link withdrawn: "closed" follows; no coming back.
      if (guest === myGuest) { endCall('removed'); }
      else { [...peers.values()].forEach((p) => { if (p.guest === guest) { forgetPeer(p, true); } }); updateState(); }
      return;
    }
    letIn.delete(guest);
    const w = dropWaiting(guest);
    if (w && party === 'professional') {
      announce(say(w.pending === 'decline' ? 'statusGuestDeclined' : 'statusGuestStoppedWaiting', w.name));
    }
    [...peers.values()].forEach((p) => {
      if (p.guest !== guest) { return; }
      const wasInCall = joined && p.everConnected;
      forgetPeer(p, true);
      if (wasInCall) { announce(say('statusGuestGone', nameOf(p))); }
    });
    updateState();
  }

  // ------------------------------------------- guests waiting to be let in

  /** Lists guest `guest` (peer `peer`) as waiting; the professional gets Admit and Decline. */
  function addWaiting(peer, guest, name) {
    // A guest's page does not list the others waiting.
    if (!els.lobby || isGuest || !guest || ended) { return; }
    letIn.delete(guest);
    let w = lobby.get(guest);
    const fresh = !w;
    if (!w) {
      w = { guest, peer, name: '', li: null, pending: '', timer: 0, confirmed: true };
      w.li = waitingItem(w);
      lobby.set(guest, w);
      els.lobbyList.append(w.li);
    }
    w.peer = peer;
    w.confirmed = true;
    // Announced again (their socket came back): whatever was pressed may be pressed again.
    setPending(w, '');
    const shown = typeof name === 'string' && name.trim() ? name.trim() : say('guestUnnamed');
    if (shown !== w.name) { w.name = shown; labelWaiting(w); }
    showLobby();
    if (fresh) {
      announce(say(party === 'professional' ? 'statusGuestWaiting' : 'statusGuestWaitingClient', w.name), true);
    }
  }

  function waitingItem(w) {
    const li = document.createElement('li');
    li.className = 'vr-lobby-item';
    li.dataset.guest = w.guest;
    const who = document.createElement('p');
    who.className = 'vr-lobby-who';
    const name = document.createElement('span');
    name.className = 'vr-lobby-name';
    const tag = document.createElement('span');
    tag.className = 'vr-lobby-tag';
    tag.textContent = say('guestTag');
    who.append(name, ' ', tag);
    li.append(who);
    if (party === 'professional') {
      const actions = document.createElement('p');
      actions.className = 'vr-lobby-actions';
      actions.append(lobbyButton('admit', 'button', w), lobbyButton('decline', 'button secondary', w));
      li.append(actions);
    }
    return li;
  }

  function lobbyButton(action, classes, w) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = action + ' ' + classes;
    button.dataset.guest = w.guest;
    button.textContent = say(action);
    return button;
  }

  /** The guest's name: user input, so text only. The buttons' names say whom they are for. */
  function labelWaiting(w) {
    w.li.querySelector('.vr-lobby-name').textContent = w.name;
    w.li.querySelectorAll('button').forEach((b) => {
      b.setAttribute('aria-label', say(b.classList.contains('admit') ? 'admitLabel' : 'declineLabel', w.name));
    });
  }

  /**
   * Admit or Decline pressed, and not answered yet (`action`), or not (''). The
   * buttons stay focusable (aria-disabled, not disabled), so focus is not lost.
   */
  function setPending(w, action) {
    w.pending = action;
    clearTimeout(w.timer);
    if (action) { w.li.dataset.pending = action; } else { delete w.li.dataset.pending; }
    w.li.querySelectorAll('button').forEach((b) => {
      if (action) { b.setAttribute('aria-disabled', 'true'); } else { b.removeAttribute('aria-disabled'); }
    });
    if (action) {
      w.timer = setTimeout(() => {
        if (lobby.get(w.guest) === w && w.pending) { setPending(w, ''); announce(say('lobbyFailed')); }
      }, 10000);
    }
  }

  function onLobbyClick(event) {
    const button = event.target.closest && event.target.closest('button[data-guest]');
    if (!button || party !== 'professional') { return; }
    const w = lobby.get(button.dataset.guest);
    if (!w || w.pending) { return; }
    const action = button.classList.contains('admit') ? 'admit' : 'decline';
    if (!send({ type: action, guest: w.guest })) { announce(say('lobbyFailed')); return; }
    setPending(w, action);
  }

  /** Takes guest `guest` off the waiting list; returns what it was, if anything. */
  function dropWaiting(guest) {
    const w = guest ? lobby.get(guest) : null;
    if (!w) { return null; }
    lobby.delete(guest);
    clearTimeout(w.timer);
    const hadFocus = w.li.contains(document.activeElement);
    const next = w.li.nextElementSibling || w.li.previousElementSibling;
    w.li.remove();
    showLobby();
    if (hadFocus) {
      // To the next guest's Admit, or where this phase starts.
      const button = next && next.querySelector('button');
      if (button) { button.focus(); } else { focusView(view); }
    }
    return w;
  }

  function showLobby() {
    if (els.lobby) { els.lobby.hidden = ended || lobby.size === 0; }
  }

  // ------------------------------------------------------- peer connections

  function addPeer(id) {
    const p = {
      id, role: '', name: '', guest: null, away: false, confirmed: true, awayTimer: 0, discTimer: 0,
      pc: null, polite: false, makingOffer: false, ignoreOffer: false, settingAnswer: false,
      pending: [], backlog: [], queue: Promise.resolve(), tracksAdded: false, tracksTimer: 0,
      media: null, tile: null, remoteStream: null, audioSender: null, videoSender: null,
      everConnected: false, lost: 0, received: 0,
    };
    peers.set(id, p);
    return p;
  }

  function forgetPeer(p, wasReplaced) {
    if (peers.get(p.id) !== p) { return; }
    peers.delete(p.id);
    call.peers.delete(p.id);
    if (wasReplaced) { replaced.add(p.id); }
    clearTimeout(p.awayTimer);
    clearTimeout(p.discTimer);
    clearTimeout(p.tracksTimer);
    if (p.pc) {
      const pc = p.pc;
      pc.ontrack = null;
      pc.onicecandidate = null;
      pc.onnegotiationneeded = null;
      pc.oniceconnectionstatechange = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
    p.pc = null;
    p.backlog = [];
    p.pending = [];
    if (p.tile) { releaseTile(p.tile); p.tile = null; }
  }

  function openPeer(p) {
    let pc;
    try { pc = new RTCPeerConnection(iceConfig()); } catch (e) { warn('RTCPeerConnection', e); return; }
    p.pc = pc;
    p.polite = String(myId) < p.id;
    call.peers.set(p.id, pc);
    tileFor(p);
    pc.ontrack = (event) => onTrack(p, event);
    pc.onicecandidate = (event) => {
      sendToPeer({ type: 'candidate', to: p.id, candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    pc.onnegotiationneeded = async () => {
      try {
        p.makingOffer = true;
        await pc.setLocalDescription();
        if (pc.localDescription && pc.localDescription.type === 'offer') {
          sendToPeer({ type: 'offer', to: p.id, sdp: pc.localDescription.sdp });
        }
      } catch (e) {
        warn('offer', e);
      } finally {
        p.makingOffer = false;
      }
    };
    pc.oniceconnectionstatechange = () => onIceState(p);
    pc.onconnectionstatechange = () => {
      if (isLive(p)) { p.everConnected = true; }
      updateState();
    };
    // The impolite side offers first. The polite side adds its tracks when
    // that offer comes (or after a while, if the other side is still
    // testing its devices): two first offers crossing, and the rollback
    // that settles them, can leave Chromium gathering no ICE candidates at all.
    if (p.polite) { p.tracksTimer = setTimeout(() => addLocalTracks(p), 2000); } else { addLocalTracks(p); }
    p.backlog.splice(0).forEach((m) => enqueue(p, m));
  }

  /** Every local track at once; negotiationneeded follows. */
  function addLocalTracks(p) {
    clearTimeout(p.tracksTimer);
    const pc = p.pc;
    if (p.tracksAdded || !pc || pc.signalingState === 'closed') { return; }
    p.tracksAdded = true;
    const audio = audioTrack();
    if (audio) { p.audioSender = pc.addTrack(audio, local); }
    const video = screenTrack || cameraTrack();
    if (video) { p.videoSender = pc.addTrack(video, local); }
  }

  function enqueue(p, msg) {
    p.queue = p.queue.then(() => handlePeerMessage(p, msg)).catch((e) => warn(msg.type, e));
  }

  function onPeerMessage(msg) {
    const from = msg.from;
    if (typeof from !== 'string' || from === myId || replaced.has(from)) { return; }
    let p = peers.get(from);
    if (!p) {
      if (msg.type !== 'offer') { return; } // of a connection already gone
      p = addPeer(from);
    }
    if (!p.pc && joined && admitted) { openPeer(p); }
    if (!p.pc) {
      // Not joined yet: answer once the user joins.
      p.backlog.push(msg);
      if (p.backlog.length > 500) { p.backlog.shift(); }
      return;
    }
    enqueue(p, msg);
  }

  /** The perfect negotiation pattern (MDN), one message at a time per peer. */
  async function handlePeerMessage(p, msg) {
    const pc = p.pc;
    if (!pc || pc.signalingState === 'closed') { return; }
    if (msg.type === 'offer' || msg.type === 'answer') {
      if (typeof msg.sdp !== 'string') { return; }
      const readyForOffer = !p.makingOffer && (pc.signalingState === 'stable' || p.settingAnswer);
      const collision = msg.type === 'offer' && !readyForOffer;
      p.ignoreOffer = !p.polite && collision;
      if (p.ignoreOffer) { return; }
      // Before the offer is applied, so the answer carries our tracks.
      if (msg.type === 'offer') { addLocalTracks(p); }
      p.settingAnswer = msg.type === 'answer';
      try {
        await pc.setRemoteDescription({ type: msg.type, sdp: msg.sdp });
      } finally {
        p.settingAnswer = false;
      }
      const waiting = p.pending.splice(0);
      for (const c of waiting) {
        try { await pc.addIceCandidate(c); } catch (e) { if (!p.ignoreOffer) { warn('candidate', e); } }
      }
      if (msg.type === 'offer') {
        await pc.setLocalDescription();
        sendToPeer({ type: 'answer', to: p.id, sdp: pc.localDescription.sdp });
      }
    } else if (msg.type === 'candidate') {
      if (!msg.candidate) { return; } // end of candidates
      if (!pc.remoteDescription) { p.pending.push(msg.candidate); return; }
      try { await pc.addIceCandidate(msg.candidate); } catch (e) { if (!p.ignoreOffer) { warn('candidate', e); } }
    }
  }

  function onIceState(p) {
    const pc = p.pc;
    if (!pc) { return; }
    const state = pc.iceConnectionState;
    clearTimeout(p.discTimer);
    if (isLive(p)) {
      p.everConnected = true;
    } else if (state === 'failed') {
      restartIce(p);
    } else if (state === 'disconnected') {
      p.discTimer = setTimeout(() => {
        if (p.pc === pc && pc.iceConnectionState === 'disconnected') { restartIce(p); }
      }, 4000);
    }
    updateState();
  }

  function restartIce(p) {
    const pc = p.pc;
    // An away peer cannot hear the new offer: restart when they are back.
    if (!pc || pc.signalingState === 'closed' || p.away) { return; }
    // The newest TURN credentials: the ones a connection started with may have expired.
    try { pc.setConfiguration(iceConfig()); } catch (e) { /* unchanged then */ }
    if (pc.restartIce) { pc.restartIce(); }
  }

  function isLive(p) {
    const pc = p.pc;
    if (!pc) { return false; }
    if (pc.connectionState) { return pc.connectionState === 'connected'; }
    return pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
  }

  // ---------------------------------------------------------- remote tiles

  function tileFor(p) {
    if (p.tile) { return p.tile; }
    let el = els.primaryTile;
    if (el.dataset.peer) {
      // A further participant gets a copy of the first tile.
      el = els.primaryTile.cloneNode(true);
      el.removeAttribute('id');
      el.querySelectorAll('[id]').forEach((n) => n.removeAttribute('id'));
      el.querySelector('video').srcObject = null;
      el.hidden = false;
      els.tiles.append(el);
    }
    el.dataset.peer = p.id;
    el.dataset.video = 'off';
    p.tile = {
      el,
      video: el.querySelector('video'),
      badges: el.querySelector('.vr-badges'),
      name: el.querySelector('.vr-tile-name'),
      avatar: el.querySelector('.vr-avatar'),
    };
    p.tile.video.muted = false;
    applySink(p.tile.video);
    nameTile(p);
    renderTile(p);
    layoutTiles();
    return p.tile;
  }

  function nameTile(p) {
    const name = nameOf(p);
    p.tile.name.textContent = p.role === 'guest' ? say('guestName', name) : name;
    p.tile.avatar.textContent = name.charAt(0).toUpperCase();
    p.tile.video.setAttribute('aria-label', say('remoteLabel', name));
  }

  /** Tiles share the stage: the count picks the grid (video.css); an empty first tile steps aside. */
  function layoutTiles() {
    const count = els.tiles.querySelectorAll('.vr-tile[data-peer]').length;
    els.primaryTile.hidden = count > 0 && !els.primaryTile.dataset.peer;
    const stage = els.tiles.parentElement;
    els.tiles.dataset.count = String(Math.max(1, count));
    stage.dataset.count = els.tiles.dataset.count;
  }

  function releaseTile(tile) {
    tile.video.srcObject = null;
    if (tile.el === els.primaryTile) {
      delete tile.el.dataset.peer;
      tile.el.dataset.video = 'off';
      tile.badges.textContent = '';
    } else {
      tile.el.remove();
    }
    layoutTiles();
  }

  function onTrack(p, event) {
    const track = event.track;
    if (!p.remoteStream) { p.remoteStream = new MediaStream(); }
    const stream = p.remoteStream;
    // One track a kind: a new one (say, a screen after none) takes the old one's place.
    stream.getTracks().forEach((t) => { if (t.kind === track.kind && t !== track) { stream.removeTrack(t); } });
    if (!stream.getTrackById(track.id)) { stream.addTrack(track); }
    const render = () => renderTile(p);
    track.addEventListener('mute', render);
    track.addEventListener('unmute', render);
    track.addEventListener('ended', render);
    const tile = tileFor(p);
    tile.video.srcObject = stream;
    tile.video.play().catch(noop);
    renderTile(p);
  }

  function renderTile(p) {
    if (!p.tile) { return; }
    const m = p.media || { audio: true, video: true, screen: false };
    const frames = !!p.remoteStream && p.remoteStream.getVideoTracks().some((t) => t.readyState === 'live' && !t.muted);
    p.tile.el.dataset.video = frames && (m.video || m.screen) ? 'on' : 'off';
    setBadges(p.tile.badges, [
      !m.audio && 'badgeMicOff',
      !m.video && !m.screen && 'badgeCameraOff',
      m.screen && 'badgeSharing',
    ]);
  }

  function onMedia(msg) {
    const p = peers.get(msg.from);
    if (!p) { return; }
    p.media = { audio: !!msg.audio, video: !!msg.video, screen: !!msg.screen };
    renderTile(p);
  }

  // --------------------------------------------------------------- state

  function currentState() {
    if (ended) { return 'ended'; }
    if (!joined) { return 'check'; }
    if (!welcomed) { return 'reconnecting'; }
    if (!admitted) { return 'admission'; }
    const open = [...peers.values()].filter((p) => p.pc);
    if (open.some(isLive)) { return 'connected'; }
    if (open.some((p) => p.everConnected)) { return 'reconnecting'; }
    return 'waiting';
  }

  function updateState() {
    const before = call.state;
    const state = currentState();
    const hadCall = [...peers.values()].some((p) => p.pc && p.everConnected);
    let view = 'waiting';
    if (state === 'ended' || state === 'check') { view = state; }
    else if (state === 'connected' || (state === 'reconnecting' && hadCall)) { view = 'call'; }
    call.state = state;
    document.body.dataset.callState = state;
    // The waiting room doubles as a guest's wait to be let in.
    const asking = joined && !admitted;
    setText(els.waitingHeading, asking ? say('admission') : waitingText.heading);
    setText(els.waitingHint, asking ? say('admissionHint') : waitingText.hint);
    showView(view);
    els.quality.hidden = state !== 'connected' || !els.quality.dataset.level;
    if (state === before) { return; }
    const nowLetIn = justLetIn;
    justLetIn = false;
    if (state === 'admission') { announce(say('admission')); }
    else if (state === 'waiting') { if (nowLetIn) { announce(say('statusAdmitted'), true); } else { announce(say('statusWaiting')); } }
    else if (state === 'connected') { announce(say(before === 'reconnecting' ? 'statusReconnected' : 'statusConnected')); }
    else if (state === 'reconnecting') { announce(say(everWelcomed ? 'statusReconnecting' : 'statusConnecting')); }
    else if (state === 'ended') { announce(say(ENDED[endedReason] || 'statusLeft')); }
  }

  // The ended phase's heading (and announcement) by why it ended.
  const ENDED = { left: 'statusLeft', ended: 'statusEnded', removed: 'statusRemoved' };

  function setText(el, text) {
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  let view = 'check';
  function showView(next) {
    if (next === view) { return; }
    const from = els.phases[view];
    const focusLost = from.contains(document.activeElement);
    Object.keys(els.phases).forEach((k) => { els.phases[k].hidden = k !== next; });
    view = next;
    if (next === 'waiting' || next === 'call') { refreshLocal(false); }
    if (next === 'call') { els.tiles.querySelectorAll('video').forEach((v) => { if (v.srcObject) { v.play().catch(noop); } }); }
    if (focusLost) { focusView(next); }
  }

  /** Focus where phase `which` starts: the call's first control, else its heading. */
  function focusView(which) {
    let target = null;
    if (which === 'call') { target = [els.mic, els.camera, els.end].find((b) => !b.disabled); }
    else if (which === 'waiting') { target = els.waitingHeading; }
    else if (which === 'ended') { target = els.endedHeading; }
    else if (which === 'check') { target = els.join.disabled ? els.checkHeading : els.join; }
    if (target) { target.focus(); }
  }

  // ---------------------------------------------------------------- joining

  function join() {
    if (joined || ended || els.join.disabled) { return; }
    joined = true;
    stopMeter();
    els.devicesPanel.append(els.devices);
    // A guest not let in yet waits ("admission"); setAdmitted carries on from here.
    if (admitted) { peers.forEach((p) => { if (!p.pc && !p.away) { openPeer(p); } }); }
    sendMedia();
    refreshLocal(false);
    updateState();
  }

  function endCall(reason) {
    if (ended) { return; }
    ended = true;
    endedReason = reason;
    clearTimeout(reconnectTimer);
    clearTimeout(connectTimer);
    [...peers.values()].forEach((p) => forgetPeer(p));
    if (screenTrack) { screenTrack.onended = null; screenTrack.stop(); screenTrack = null; }
    if (local) { local.getTracks().forEach((t) => t.stop()); }
    stopMeter();
    const socket = ws;
    ws = null;
    welcomed = false;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      try { socket.close(1000); } catch (e) { /* already closed */ }
    }
    [...lobby.keys()].forEach((guest) => dropWaiting(guest));
    letIn.clear();
    showLobby();
    els.phases.ended.dataset.reason = reason;
    els.endedHeading.textContent = say(ENDED[reason] || 'statusLeft');
    // Over for good when the session ended, or when this guest was turned away.
    els.rejoin.hidden = reason === 'ended' || reason === 'removed';
    updateState();
  }

  // ------------------------------------------------------ call controls

  function toggleMic() {
    const track = audioTrack();
    if (!track) { return; }
    micOn = !micOn;
    track.enabled = micOn;
    refreshLocal(false);
    sendMedia();
    announce(say(micOn ? 'statusMicOn' : 'statusMicOff'));
  }

  function toggleCamera() {
    const track = cameraTrack();
    if (!track) { return; }
    camOn = !camOn;
    track.enabled = camOn;
    refreshLocal(false);
    sendMedia();
    announce(say(camOn ? 'statusCameraOn' : 'statusCameraOff'));
  }

  async function toggleShare() {
    if (screenTrack) { stopShare(); return; }
    let stream;
    try {
      stream = await media.getDisplayMedia({ video: true, audio: false });
    } catch (e) {
      // NotAllowedError: the user cancelled the browser's picker.
      if (!e || e.name !== 'NotAllowedError') { warn('getDisplayMedia', e); announce(say('statusShareFailed')); }
      return;
    }
    if (ended) { stream.getTracks().forEach((t) => t.stop()); return; }
    screenTrack = stream.getVideoTracks()[0] || null;
    if (!screenTrack) { return; }
    if ('contentHint' in screenTrack) { screenTrack.contentHint = 'detail'; }
    screenTrack.onended = stopShare; // the browser's own "Stop sharing" button
    peers.forEach((p) => {
      if (!p.pc || !p.tracksAdded || p.pc.signalingState === 'closed') { return; }
      if (p.videoSender) { p.videoSender.replaceTrack(screenTrack).catch((e) => warn('replaceTrack', e)); }
      else { p.videoSender = p.pc.addTrack(screenTrack, local); }
    });
    refreshLocal(false);
    sendMedia();
    announce(say('statusSharing'));
  }

  function stopShare() {
    if (!screenTrack) { return; }
    screenTrack.onended = null;
    screenTrack.stop();
    screenTrack = null;
    const camera = cameraTrack();
    peers.forEach((p) => {
      if (p.videoSender) { p.videoSender.replaceTrack(camera).catch((e) => warn('replaceTrack', e)); }
    });
    refreshLocal(false);
    sendMedia();
    announce(say('statusSharingStopped'));
  }

  function setDevicesOpen(open) {
    els.devicesPanel.hidden = !open;
    els.devicesToggle.setAttribute('aria-expanded', String(open));
    if (open) {
      const first = els.devicesPanel.querySelector('select:not([disabled])');
      if (first) { first.focus(); }
    }
  }

  // ----------------------------------------------------------------- chat

  const clock = (() => {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, { hour: 'numeric', minute: '2-digit' });
    } catch (e) {
      return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
    }
  })();

  function addChat(name, text, mine) {
    const li = document.createElement('li');
    li.className = mine ? 'vr-msg vr-mine' : 'vr-msg';
    const meta = document.createElement('p');
    meta.className = 'vr-msg-meta';
    const who = document.createElement('span');
    who.className = 'vr-msg-name';
    who.textContent = name;
    const now = new Date();
    const time = document.createElement('time');
    time.dateTime = now.toISOString();
    time.textContent = clock.format(now);
    meta.append(who, ' ', time);
    const body = document.createElement('p');
    body.className = 'vr-msg-text';
    body.textContent = text;
    li.append(meta, body);
    els.chatLog.append(li);
    while (els.chatLog.children.length > 300) { els.chatLog.firstElementChild.remove(); }
    els.chatLog.scrollTop = els.chatLog.scrollHeight;
  }

  function onChat(msg) {
    if (msg.from === myId || typeof msg.text !== 'string') { return; }
    const p = peers.get(msg.from);
    const name = msg.name || (p ? nameOf(p) : otherName);
    addChat(msg.role === 'guest' || (p && p.role === 'guest') ? say('guestName', name) : name, msg.text, false);
  }

  function sendChat(event) {
    event.preventDefault();
    const text = els.chatInput.value.trim().slice(0, 1000);
    if (!text) { return; }
    if (!send({ type: 'chat', text })) { announce(say('chatNotSent')); return; }
    addChat(say('chatYou'), text, true);
    els.chatInput.value = '';
  }

  // ------------------------------------------------------ connection quality

  const RANK = { good: 0, fair: 1, poor: 2 };

  async function measureQuality() {
    if (call.state !== 'connected') { return; }
    let worst = null;
    for (const p of [...peers.values()]) {
      if (!isLive(p)) { continue; }
      let report;
      try { report = await p.pc.getStats(); } catch (e) { continue; }
      let pairId = null;
      report.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) { pairId = r.selectedCandidatePairId; } });
      let rtt = null;
      let lost = 0;
      let received = 0;
      report.forEach((r) => {
        if (r.type === 'candidate-pair' && typeof r.currentRoundTripTime === 'number'
          && (pairId ? r.id === pairId : r.selected || (r.nominated && r.state === 'succeeded'))) {
          rtt = r.currentRoundTripTime;
        } else if (r.type === 'inbound-rtp' && !r.isRemote) {
          lost += Math.max(0, r.packetsLost || 0);
          received += r.packetsReceived || 0;
        }
      });
      if (rtt === null) {
        report.forEach((r) => {
          if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number') { rtt = Math.max(rtt || 0, r.roundTripTime); }
        });
      }
      const newLost = Math.max(0, lost - p.lost);
      const newReceived = Math.max(0, received - p.received);
      p.lost = lost;
      p.received = received;
      const loss = newLost + newReceived > 0 ? newLost / (newLost + newReceived) : 0;
      let levelNow = 'fair';
      if ((rtt !== null && rtt > 1) || loss > 0.1) { levelNow = 'poor'; }
      else if ((rtt === null || rtt < 0.3) && loss < 0.02) { levelNow = 'good'; }
      if (worst === null || RANK[levelNow] > RANK[worst]) { worst = levelNow; }
    }
    if (!worst || call.state !== 'connected') { return; }
    els.quality.dataset.level = worst;
    els.qualityText.textContent = say({ good: 'qualityGood', fair: 'qualityFair', poor: 'qualityPoor' }[worst]);
    els.quality.hidden = false;
  }

  // ------------------------------------------------------------- wiring

  els.join.addEventListener('click', join);
  els.retry.addEventListener('click', () => { startMedia(); });
  els.testSound.addEventListener('click', () => { playTestSound(); });
  els.cameraSelect.addEventListener('change', () => chooseDevice('video'));
  els.micSelect.addEventListener('change', () => chooseDevice('audio'));
  els.speakerSelect.addEventListener('change', () => setSpeaker(els.speakerSelect.value));
  els.mic.addEventListener('click', toggleMic);
  els.camera.addEventListener('click', toggleCamera);
  els.share.addEventListener('click', () => { toggleShare(); });
  els.devicesToggle.addEventListener('click', () => setDevicesOpen(els.devicesPanel.hidden));
  els.devicesPanel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { setDevicesOpen(false); els.devicesToggle.focus(); }
  });
  els.end.addEventListener('click', () => endCall('left'));
  els.leave.addEventListener('click', () => endCall('left'));
  els.rejoin.addEventListener('click', () => { location.reload(); });
  els.chatForm.addEventListener('submit', sendChat);
  if (els.lobbyList) { els.lobbyList.addEventListener('click', onLobbyClick); }

  window.addEventListener('pagehide', () => {
    leaving = true;
    if (ws) { try { ws.close(1000); } catch (e) { /* already closed */ } }
  });
  // Back from the browser's page cache: the connections are gone, start afresh.
  window.addEventListener('pageshow', (event) => { if (event.persisted) { location.reload(); } });

  els.share.hidden = !shareSupported;
  els.speakerField.hidden = true;
  refreshLocal(false);

  if (supported) {
    startMedia();
    let listTimer = 0;
    if (media.addEventListener) {
      media.addEventListener('devicechange', () => {
        clearTimeout(listTimer);
        listTimer = setTimeout(() => {
          // A camera or microphone plugged in before joining: try it at once.
          if (!joined && !ended && (!audioTrack() || !cameraTrack())) { startMedia(); } else { fillDeviceLists(); }
        }, 500);
      });
    }
  } else {
    showGuidance('unsupported', 'guidanceUnsupported');
    setCheck('camera', 'fail', 'checkCameraFail');
    setCheck('mic', 'fail', 'checkMicFail');
    els.join.disabled = true;
  }

  connect();
  setInterval(() => {
    if (!ws || !welcomed) { return; }
    if (Date.now() - lastHeard > 45000) { dropSocket(); return; } // went quiet: a sleeping laptop, a dead network
    send({ type: 'ping' });
  }, 15000);
  setInterval(() => { measureQuality().catch((e) => warn('stats', e)); }, 2000);
})();
