/**
 * The script's core, shared by every feature: the click id from the landing
 * URL (kept in one first-party localStorage key, so a later page can still
 * name the click), a sender (sendBeacon, or a keepalive fetch where beacons are
 * refused), and `viewed`, which runs a function once the page was really seen:
 * loaded, visible, and not a prerender nobody looked at.
 * `fresh` says the page was opened with the parameter (a landing page).
 * Variables from build-script.ts: w (window), d (document), S (this script's
 * tag), P (parameter name), K (storage key), E (collect endpoint).
 */
export const CORE = `var U=/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,id=null,fresh=false;
try{id=new URL(w.location.href).searchParams.get(P)}catch(e){}
if(id&&U.test(id)){fresh=true;try{w.localStorage.setItem(K,id)}catch(e){}}else{id=null;try{id=w.localStorage.getItem(K)}catch(e){}if(id&&!U.test(id))id=null}
function send(o){var b=JSON.stringify(o);try{if(navigator.sendBeacon&&navigator.sendBeacon(E,new Blob([b],{type:"text/plain"})))return}catch(e){}try{fetch(E,{method:"POST",body:b,keepalive:true,mode:"cors",credentials:"omit",headers:{"content-type":"text/plain"}})}catch(e){}}
function viewed(f){var done=false;function go(){if(done||d.visibilityState!=="visible"||d.prerendering)return;done=true;f()}
function ready(){go();d.addEventListener("visibilitychange",go);d.addEventListener("prerenderingchange",go)}
if(d.readyState==="complete")ready();else w.addEventListener("load",ready)}
`;
