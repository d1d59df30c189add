/** The phone's position (WGS-84), rounded to about 10 cm, with its accuracy in metres. */
export interface Gps {
  point: [number, number];
  accuracy: number;
}

export function locate(): Promise<Gps> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          point: [Math.round(p.coords.longitude * 1e6) / 1e6, Math.round(p.coords.latitude * 1e6) / 1e6],
          accuracy: Math.round(p.coords.accuracy),
        }),
      reject,
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 10_000 },
    );
  });
}
