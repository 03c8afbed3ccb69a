// 选项卡：鼠标移到标签上显示对应栏目，其余隐藏
(function () {
  var labels = document.querySelectorAll(".tab-hd li");
  var panels = document.querySelectorAll(".tab-bd > ul");
  function show(n) {
    for (var i = 0; i < panels.length; i++) {
      panels[i].style.display = i === n ? "block" : "none";
      labels[i].className = i === n ? "on" : "";
    }
  }
  for (var i = 0; i < labels.length; i++) {
    labels[i].onmouseover = (function (n) { return function () { show(n); }; })(i);
  }
  var wow = document.querySelectorAll(".wow");
  for (var j = 0; j < wow.length; j++) { wow[j].style.visibility = "visible"; }
  document.documentElement.className = document.documentElement.className.replace("async-hide", "");
})();
