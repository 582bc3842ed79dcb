/**
 * Conversions: the click ids this browser landed with, each with the time it
 * landed, the newest 20, kept first-party (localStorage key T; a cookie where
 * storage is refused; else this page's memory), and
 * `linktrack.convert(event, {value, currency, id})`, which sends them with the
 * site's publishable key (the tag's `data-key`, or `linktrack.init({key})`).
 * A visitor whose storage predates the list starts it from the stored click id.
 * Entries that are not [click id, time] (storage another script wrote) are
 * skipped: one would make the endpoint refuse every later conversion.
 */
export const CONVERT = `var T="lt_touches",M=null,key=S&&S.getAttribute&&S.getAttribute("data-key")||null;
function load(){var v=null,a;try{v=w.localStorage.getItem(T)}catch(e){}
if(v==null){var m=/(?:^|; )lt_touches=([^;]*)/.exec(d.cookie||"");v=m?decodeURIComponent(m[1]):M}
try{a=JSON.parse(v)}catch(e){}return Array.isArray(a)?a.filter(function(t){return Array.isArray(t)&&typeof t[0]==="string"&&U.test(t[0])&&typeof t[1]==="number"}):id?[[id,0]]:[]}
function save(a){var v=JSON.stringify(a);M=v;try{w.localStorage.setItem(T,v);return}catch(e){}
try{d.cookie=T+"="+encodeURIComponent(v)+";path=/;max-age=7776000;samesite=lax"}catch(e){}}
if(fresh)save(load().filter(function(t){return t[0]!==id}).concat([[id,Date.now()]]).slice(-20));
var L=w.linktrack=w.linktrack||{};L.init=function(o){if(o&&o.key)key=String(o.key)};
L.convert=function(ev,o){o=o||{};send({type:"conversion",key:key,event:ev,value:o.value,currency:o.currency,id:o.id,
touches:load().map(function(t){return{click_id:t[0],ts:t[1]}})})};
`;
