// Entry point of the live demo page (`lab demo`): everything comes from the
// demo server that served it (the scenario catalogue, then the run's events
// over server-sent events).
import './style.css'
import './live.css'
import { mountLive } from './live-view.js'

const root = document.getElementById('app') ?? document.body
void mountLive(root, new URLSearchParams(location.search).has('present'))
